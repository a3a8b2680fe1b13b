import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createDataSource, createLogger, demoUuid, envPrefix, SUBGRAPHS, withDatabase } from '@nimo/kit';
import { devToken, embeddedServerUrl, freePort } from '@nimo/kit/dev';
import { ROOT } from './databases';
import { startHub, type RunningHub } from './hub';

/**
 * `npm run chaos`: the hub under load while faults are injected, on loopback only, bounded in count
 * and time (about a minute and a half). It starts its own hub (`.data/chaos-postgres`, free ports,
 * small demo data), runs readers (a query over all four subgraphs) and writers (consultation cases
 * opened with an idempotency key, retried until acknowledged), and meanwhile kills a subgraph,
 * pauses one (SIGSTOP) for a while, restarts PostgreSQL and kills another subgraph. It prints the
 * error responses, partial answers, the time each fault took to recover from, and rows lost or
 * doubled (both must be 0: exit 1 otherwise). Not part of `npm test`.
 *
 * Options: --duration=S (default 75), --readers=N (default 6), --writers=N (default 2).
 */
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const DURATION_S = Math.min(600, Number(args.get('duration') ?? 75));
const READERS = Math.min(32, Number(args.get('readers') ?? 6));
const WRITERS = Math.min(8, Number(args.get('writers') ?? 2));
const CHIYODA = '131016';
const DESK = demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口');

const READ = `{ jurisdiction(code: "131016") { name organizations(serviceKind: MUNICIPAL_MENTAL_HEALTH_DESK) { name } }
  courses(first: 1) { totalCount } practiceCases(first: 1) { totalCount } consultationCases(first: 1) { totalCount } }`;
const OPEN = 'mutation ($input: OpenCaseInput!, $key: String) { openCase(input: $input, idempotencyKey: $key) { id } }';

interface Tally {
  requests: number;
  complete: number;
  partial: number;
  failed: number;
  codes: Map<string, number>;
  maxMs: number;
}
const tally = (): Tally => ({ requests: 0, complete: 0, partial: 0, failed: 0, codes: new Map(), maxMs: 0 });
const reads = tally();
const writes = tally();

async function ask(endpoint: string, token: string, query: string, variables: Record<string, unknown>, t: Tally): Promise<'complete' | 'partial' | 'failed'> {
  const started = Date.now();
  t.requests += 1;
  let outcome: 'complete' | 'partial' | 'failed';
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    for (const error of body.errors ?? []) {
      const code = error.extensions?.code ?? 'NO_CODE';
      t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
    }
    outcome = response.status === 200 && !body.errors ? 'complete' : body.data ? 'partial' : 'failed';
    if (response.status !== 200) t.codes.set(`HTTP ${response.status}`, (t.codes.get(`HTTP ${response.status}`) ?? 0) + 1);
    // A 503 tells the client when to retry (docs/reliability.md); count any that does not.
    if (response.status === 503 && !response.headers.get('retry-after'))
      t.codes.set('HTTP 503 without Retry-After', (t.codes.get('HTTP 503 without Retry-After') ?? 0) + 1);
  } catch (error) {
    const code = `network: ${(error as Error).name}`;
    t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
    outcome = 'failed';
  }
  t[outcome] += 1;
  t.maxMs = Math.max(t.maxMs, Date.now() - started);
  return outcome;
}

/** The report goes to standard output, line by line. */
const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  // Quiet hub logs (restarts and failures still show): the report is what this prints.
  process.env.LOG_LEVEL ??= 'warn';
  const logger = createLogger('chaos');
  process.env.EMBEDDED_PG_PORT = String(await freePort());
  process.env.CONSULTATION_DEMO_CASES ??= '2000';
  process.env.SUBGRAPH_TIMEOUT_MS ??= '3000';
  // One caller under load on purpose: the per-caller limits (429) would hide what the faults do.
  process.env.RATE_LIMIT_REQUESTS ??= '0';
  process.env.RATE_LIMIT_COST ??= '0';
  for (const name of ['DATABASE_URL', 'GATEWAY_DATABASE_URL', ...SUBGRAPHS.map((s) => `${envPrefix(s.name)}_DATABASE_URL`)]) delete process.env[name];
  const subgraphPorts: Record<string, number> = {};
  for (const s of SUBGRAPHS) subgraphPorts[s.name] = await freePort();
  say(`chaos: starting a hub on its own PostgreSQL (.data/chaos-postgres), ${DURATION_S} s of load with ${READERS} readers and ${WRITERS} writers`);
  const hub: RunningHub = await startHub({ logger, port: await freePort(), subgraphPorts, dataDir: path.join(ROOT, '.data', 'chaos-postgres') });
  const endpoint = hub.gatewayUrl.replace('localhost', '127.0.0.1');
  const token = await devToken({ role: 'municipality', jurisdictionCodes: [CHIYODA], organizationId: DESK });
  const run = randomUUID().slice(0, 8);
  const acknowledged = new Set<string>();
  const started = Date.now();
  const deadline = started + DURATION_S * 1000;
  // The load goes on until the last fault has recovered, however long the run takes.
  let faultsDone = false;
  const loading = () => !faultsDone || Date.now() < deadline;
  const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  const reader = async () => {
    while (loading()) {
      await ask(endpoint, token, READ, {}, reads);
      await sleep(50);
    }
  };
  let written = 0;
  const writer = async () => {
    while (loading()) {
      const reference = `CH-${run}-${(written += 1)}`;
      const key = randomUUID();
      const input = {
        municipalityCode: CHIYODA,
        deskId: DESK,
        clientReference: reference,
        ageBand: 'AGE_30S',
        sex: 'FEMALE',
        needs: ['MENTAL_HEALTH'],
        openedOn: '2026-04-10',
      };
      // Retried with the same key until acknowledged: a write the hub acknowledged must be stored once.
      for (let attempt = 0; attempt < 200; attempt += 1) {
        if ((await ask(endpoint, token, OPEN, { input, key }, writes)) === 'complete') {
          acknowledged.add(reference);
          break;
        }
        await sleep(250);
      }
      await sleep(100);
    }
  };

  /** Time from a fault until the first complete answer of the read that involves every part. */
  const recovery = async (name: string, since: number): Promise<string> => {
    const probe = tally();
    while (Date.now() < since + 120_000) {
      if ((await ask(endpoint, token, READ, {}, probe)) === 'complete') return `${name}: recovered in ${((Date.now() - since) / 1000).toFixed(1)} s`;
      await sleep(100);
    }
    return `${name}: NOT recovered within 120 s`;
  };
  const pidOf = (name: string) => hub.processes.find((p) => p.name === name)?.pid ?? 0;
  const recovered: string[] = [];
  const faults = async () => {
    const span = DURATION_S * 1000;
    await sleep(span * 0.1);
    say(`[${at()}] fault 1: kill -9 the directory subgraph (pid ${pidOf('directory')})`);
    let since = Date.now();
    process.kill(pidOf('directory'), 'SIGKILL');
    recovered.push(await recovery('directory killed', since));

    await sleep(span * 0.1);
    const paused = pidOf('training');
    say(`[${at()}] fault 2: SIGSTOP the training subgraph (pid ${paused}) for 8 s`);
    since = Date.now();
    process.kill(paused, 'SIGSTOP');
    await sleep(8000);
    process.kill(paused, 'SIGCONT');
    recovered.push(`${await recovery('training paused 8 s', Date.now())} after SIGCONT`);

    await sleep(span * 0.1);
    const postgres = hub.postgresPid ?? 0;
    say(`[${at()}] fault 3: restart PostgreSQL (SIGINT to pid ${postgres}: fast shutdown; the runner starts it again)`);
    since = Date.now();
    process.kill(postgres, 'SIGINT');
    recovered.push(await recovery('PostgreSQL restarted', since));

    await sleep(span * 0.1);
    say(`[${at()}] fault 4: kill -9 the consultation subgraph (pid ${pidOf('consultation')}) while cases are written`);
    since = Date.now();
    process.kill(pidOf('consultation'), 'SIGKILL');
    recovered.push(await recovery('consultation killed', since));
    faultsDone = true;
  };

  await Promise.all([...Array.from({ length: READERS }, reader), ...Array.from({ length: WRITERS }, writer), faults()]);

  // Rows lost or doubled: every acknowledged case must be stored exactly once.
  const db = createDataSource({
    url: withDatabase(embeddedServerUrl(Number(process.env.EMBEDDED_PG_PORT)), 'nimo_consultation'),
    entities: [],
    migrations: [],
    applicationName: 'nimo-chaos',
  });
  await db.initialize();
  const rows = await db.query<{ client_reference: string; n: string }[]>(
    'SELECT client_reference, count(*) AS n FROM consultation_case WHERE client_reference LIKE $1 GROUP BY client_reference',
    [`CH-${run}-%`],
  );
  await db.destroy();
  const stored = new Map(rows.map((r) => [r.client_reference, Number(r.n)]));
  const lost = [...acknowledged].filter((reference) => !stored.has(reference));
  const doubled = rows.filter((r) => Number(r.n) > 1);

  const show = (t: Tally) =>
    `${t.requests} requests: ${t.complete} complete, ${t.partial} partial answers, ${t.failed} error responses; slowest ${t.maxMs} ms; ` +
    `errors by code: ${[...t.codes].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`;
  say('\n=== chaos report ===');
  say(
    `load for ${((Date.now() - started) / 1000).toFixed(0)} s (at least ${DURATION_S} s, until the last fault recovered), ${READERS} readers, ${WRITERS} writers`,
  );
  say(`reads:  ${show(reads)}`);
  say(`writes: ${show(writes)}`);
  for (const line of recovered) say(`recovery: ${line}`);
  say(`rows: ${acknowledged.size} cases acknowledged, ${stored.size} stored, lost ${lost.length}, doubled ${doubled.length}`);
  await hub.stop();
  process.exit(lost.length === 0 && doubled.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
