import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';

/**
 * The deployment files, checked without a cluster: every Kubernetes manifest validates against the
 * Kubernetes (and CloudNativePG) schemas, and says what operations needs (probes, autoscaling,
 * disruption budgets, network policies, secrets, non-root); the compose file is fit for real
 * infrastructure (no demo data by default, a role per subgraph, restart policies, limits, ports on
 * 127.0.0.1).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BASE = path.join(ROOT, 'deploy', 'kubernetes', 'base');
const VALIDATE = path.join(__dirname, '..', 'manifests', 'validate.mjs');

interface Validation {
  documents: { file: string; type: string; name: string }[];
  errors: { file: string; type: string; name: string; error: string }[];
}
function validate(files: string[]): Validation {
  return JSON.parse(execFileSync(process.execPath, [VALIDATE, ...files], { encoding: 'utf8' })) as Validation;
}

/**
 * The fields of the parsed manifests this file reads (the schema validation above checks the rest):
 * one loose shape for every kind, each field present where the test reads it.
 */
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  env: EnvVar[];
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  securityContext: Record<string, unknown>;
  resources: { limits: { memory?: string } };
}
type Labels = Record<string, string>;
interface Spec {
  replicas: number;
  template: { metadata: { labels: Labels }; spec: { securityContext: Record<string, unknown>; containers: Container[] } };
  scaleTargetRef: Record<string, string>;
  minReplicas: number;
  selector: { matchLabels: Labels };
  podSelector: { matchLabels: Labels };
  ingress: { from: unknown[]; ports: { port: number }[] }[];
  instances: number;
  backup: { barmanObjectStore: { destinationPath: string } };
  cluster: { name: string };
  bootstrap: { initdb: { database: string } };
  name: string;
  owner: string;
  managed: { roles: Record<string, unknown>[] };
  postgresql: { pg_hba: string[] };
}
interface Doc {
  kind: string;
  metadata: { name: string };
  spec: Spec;
}
interface Overlay {
  secretGenerator: { name: string; envs: string[] }[];
  configMapGenerator: { name: string }[];
}
interface ComposeService {
  restart: string;
  environment: Record<string, string>;
  ports?: string[];
  deploy?: { resources?: { limits?: { memory?: unknown } } };
}
interface Compose {
  services: Record<string, ComposeService>;
}
const kustomization = yaml.load(fs.readFileSync(path.join(BASE, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const files = kustomization.resources.map((f) => path.join(BASE, f));
const docs: Doc[] = files.flatMap((f) => yaml.loadAll(fs.readFileSync(f, 'utf8')) as Doc[]).filter(Boolean);
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const SUBGRAPHS = ['directory', 'consultation', 'adviser-support', 'training'];

describe('Kubernetes manifests', () => {
  it('lists every manifest of the base in its kustomization', () => {
    const present = fs
      .readdirSync(BASE)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort();
    expect([...kustomization.resources].sort()).toEqual(present);
  });

  it('validate against the Kubernetes and CloudNativePG schemas', () => {
    const result = validate(files);
    expect(result.errors).toEqual([]);
    expect(result.documents.length).toBe(docs.length);
    expect(new Set(result.documents.map((d) => d.type))).toEqual(
      new Set([
        'apps/v1 Deployment',
        'v1 Service',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'policy/v1 PodDisruptionBudget',
        'networking.k8s.io/v1 NetworkPolicy',
        'postgresql.cnpg.io/v1 Cluster',
        'postgresql.cnpg.io/v1 ScheduledBackup',
        'postgresql.cnpg.io/v1 Database',
      ]),
    );
  });

  it('and the validation does refuse a manifest that breaks the schema', () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nimo-k8s-')), 'broken.yaml');
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    fs.writeFileSync(broken, yaml.dump({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } }));
    const result = validate([broken]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.error).toMatch(/replicas/);
  });

  it('run the gateway and each subgraph as non-root Deployments probed on /ready and /health', () => {
    const deployments = byKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['nimo-gateway', ...SUBGRAPHS.map((s) => `nimo-${s}`)].sort());
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const c of pod.containers) {
        expect(c.readinessProbe.httpGet.path).toBe('/ready');
        expect(c.livenessProbe.httpGet.path).toBe('/health');
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
        expect(c.resources.limits.memory).toBeDefined();
        // Keys come from Secrets, never from the manifest.
        const secret = c.env.find((e) => e.name === 'HUB_INTERNAL_SECRET');
        expect(secret?.valueFrom?.secretKeyRef?.name).toBe('nimo-hub-keys');
        expect(c.env.every((e) => !/SECRET|PASSWORD|KEYS/.test(e.name) || e.valueFrom?.secretKeyRef)).toBe(true);
      }
    }
    const consultation = deployments.find((d) => d.metadata.name === 'nimo-consultation')!;
    expect(consultation.spec.template.spec.containers[0]?.env.find((e) => e.name === 'CONSULTATION_NOTE_KEYS')?.valueFrom?.secretKeyRef?.name).toBe(
      'nimo-hub-keys',
    );
    // The subgraphs with an audit log sign it with keys from a Secret of their own, and checkpoint it
    // outside their own database; no other process gets the keys.
    for (const d of deployments) {
      const env = d.spec.template.spec.containers[0]?.env ?? [];
      const keys = env.find((e) => e.name === 'AUDIT_HMAC_KEYS');
      if (['nimo-directory', 'nimo-consultation', 'nimo-adviser-support', 'nimo-training'].includes(d.metadata.name)) {
        expect(keys?.valueFrom?.secretKeyRef).toEqual({ name: 'nimo-audit-keys', key: 'audit-hmac-keys' });
        expect(env.find((e) => e.name === 'AUDIT_CHECKPOINT_DATABASE_URL')?.value).toMatch(/@nimo-postgres-rw:5432\/nimo_audit\?/);
      } else expect([d.metadata.name, keys]).toEqual([d.metadata.name, undefined]);
    }
    // No demo data in a real deployment.
    for (const d of deployments.filter((x) => x.metadata.name !== 'nimo-gateway')) {
      expect(d.spec.template.spec.containers[0]?.env.find((e) => e.name === 'SEED')?.value).toBe('0');
    }
  });

  it('scale the gateway with an autoscaler and keep it available with a disruption budget', () => {
    const [hpa] = byKind('HorizontalPodAutoscaler');
    expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nimo-gateway' });
    expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = byKind('PodDisruptionBudget').find((p) => p.metadata.name === 'nimo-gateway');
    expect(pdb?.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'nimo-gateway' });
  });

  it('let only the gateway reach the subgraphs', () => {
    const policy = byKind('NetworkPolicy').find((p) => p.metadata.name === 'nimo-subgraphs')!;
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/component': 'subgraph' });
    const toHttp = policy.spec.ingress.filter((rule) => rule.ports.some((p) => p.port === 4001));
    expect(toHttp).toHaveLength(1);
    expect(toHttp[0]?.from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nimo-gateway' } } }]);
    // Every subgraph pod is selected by it, and the gateway's pods are not.
    for (const d of byKind('Deployment')) {
      const labels = d.spec.template.metadata.labels;
      expect([d.metadata.name, labels['app.kubernetes.io/component'] === 'subgraph']).toEqual([d.metadata.name, d.metadata.name !== 'nimo-gateway']);
    }
  });

  it('let the subgraphs reach the directory alone, at the URL their writes check organisations with', () => {
    const policy = byKind('NetworkPolicy').find((p) => p.metadata.name === 'nimo-directory-from-subgraphs')!;
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'nimo-directory' });
    expect(policy.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'subgraph' } } }], ports: [{ protocol: 'TCP', port: 4001 }] },
    ]);
    for (const name of ['nimo-consultation', 'nimo-training', 'nimo-adviser-support']) {
      const d = byKind('Deployment').find((x) => x.metadata.name === name)!;
      const env = d.spec.template.spec.containers[0]?.env ?? [];
      expect([name, env.find((e) => e.name === 'DIRECTORY_URL')?.value]).toEqual([name, 'http://nimo-directory:4001/graphql']);
    }
  });

  it('run PostgreSQL by CloudNativePG with a replica, backups, and a database and role per subgraph', () => {
    const [cluster] = byKind('Cluster');
    expect(cluster?.spec.instances).toBeGreaterThanOrEqual(2);
    expect(cluster?.spec.backup.barmanObjectStore.destinationPath).toMatch(/^s3:\/\//);
    expect(byKind('ScheduledBackup')[0]?.spec.cluster.name).toBe(cluster?.metadata.name);
    const databases = [cluster?.spec.bootstrap.initdb.database, ...byKind('Database').map((d) => d.spec.name)].sort();
    expect(databases).toEqual(['nimo_adviser_support', 'nimo_audit', 'nimo_consultation', 'nimo_directory', 'nimo_gateway', 'nimo_training']);
    for (const db of byKind('Database')) expect(db.spec.owner).toBe(db.spec.name);
    for (const role of cluster?.spec.managed.roles ?? []) expect(role).toMatchObject({ superuser: false, createdb: false, createrole: false });
    // Each role may enter its own database only.
    for (const name of databases) expect(cluster?.spec.postgresql.pg_hba).toContain(`hostssl ${name} ${name} all scram-sha-256`);
    expect(cluster?.spec.postgresql.pg_hba.at(-1)).toMatch(/^host all .* all reject$/);
  });

  it('take every Secret and ConfigMap they name from the production overlay', () => {
    const overlay = yaml.load(fs.readFileSync(path.join(BASE, '..', 'overlays', 'production', 'kustomization.yaml'), 'utf8')) as Overlay;
    const generated = new Set([...overlay.secretGenerator, ...overlay.configMapGenerator].map((g) => g.name));
    const text = JSON.stringify(docs);
    const named = new Set(
      [...text.matchAll(/"(?:secretKeyRef|configMapKeyRef|passwordSecret|secret|configMap|accessKeyId|secretAccessKey)":\{"name":"([^"]+)"/g)].map((m) => m[1]),
    );
    expect(named.size).toBeGreaterThan(5);
    for (const name of named) expect([name, generated.has(name ?? '')]).toEqual([name, true]);
    for (const g of overlay.secretGenerator)
      for (const env of g.envs) expect(fs.existsSync(path.join(BASE, '..', 'overlays', 'production', `${env}.example`))).toBe(true);
  });
});

describe('compose for real infrastructure', () => {
  const compose = yaml.load(fs.readFileSync(path.join(ROOT, 'docker', 'compose.yaml'), 'utf8')) as Compose;
  const services = compose.services;

  it('loads no demo data unless asked, and runs each subgraph with a role of its own', () => {
    for (const name of SUBGRAPHS) {
      const env = services[name]?.environment ?? {};
      expect(env.SEED).toBe('${SEED:-0}');
      const url = env[`${name.replace(/-/g, '_').toUpperCase()}_DATABASE_URL`] ?? '';
      const database = `nimo_${name.replace(/-/g, '_')}`;
      expect(url).toMatch(new RegExp(`^postgres://${database}:\\$\\{[A-Z_]+_DB_PASSWORD\\}@postgres:5432/${database}$`));
    }
    // The audit keys and the checkpoint database go to the subgraphs with an audit log, from the environment.
    for (const name of SUBGRAPHS) {
      const env = services[name]?.environment ?? {};
      expect(env.AUDIT_HMAC_KEYS).toMatch(/^\$\{AUDIT_HMAC_KEYS:\?/);
      expect(env.AUDIT_CHECKPOINT_DATABASE_URL).toBe('postgres://nimo_audit:${AUDIT_DB_PASSWORD}@postgres:5432/nimo_audit');
    }
    const init = fs.readFileSync(path.join(ROOT, 'docker', 'postgres', '10-hub-roles.sh'), 'utf8');
    expect(init).toMatch(/make nimo_audit nimo_audit "\$AUDIT_DB_PASSWORD"/);
    expect(init).toMatch(/NOSUPERUSER NOCREATEDB NOCREATEROLE/);
    expect(init).toMatch(/REVOKE ALL ON DATABASE/);
  });

  it('restarts every service, limits its resources, and binds published ports to 127.0.0.1 by default', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.restart]).toEqual([name, 'unless-stopped']);
      expect([name, typeof service.deploy?.resources?.limits?.memory]).toEqual([name, 'string']);
      for (const port of service.ports ?? []) expect(port).toMatch(/^\$\{BIND_ADDRESS:-127\.0\.0\.1\}:|^127\.0\.0\.1:/);
    }
  });

  it('offers a JWKS file instead of a URL, and a development variant without an identity provider', () => {
    const jwks = yaml.load(fs.readFileSync(path.join(ROOT, 'docker', 'compose.jwks-file.yaml'), 'utf8')) as Compose;
    expect(jwks.services.gateway?.environment.AUTH_JWKS_FILE).toBe('/run/secrets/jwks');
    const dev = yaml.load(fs.readFileSync(path.join(ROOT, 'docker', 'compose.dev.yaml'), 'utf8')) as Compose;
    expect(dev.services.gateway?.environment.NODE_ENV).toBe('development');
    expect(dev.services.gateway?.environment.AUTH_JWKS_URL).toBeUndefined();
  });
});
