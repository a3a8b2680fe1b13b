import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import pino from 'pino';
import { createDataSource } from '../src/database/datasource';
import { migrateUnderLock } from '../src/database/migrate';
import { metricsAccessFromEnv, rateLimitRefusals, serveMetrics } from '../src/telemetry/metrics';
import { progress } from '../src/telemetry/progress';
import { traceIdFromHeader, traceparentFor } from '../src/telemetry/request';
import { createTestDatabase, dropTestDatabase } from '../src/testing';

/** A migration slow enough that replicas starting together overlap in it. */
class SlowTable1700000000001 implements MigrationInterface {
  name = 'SlowTable1700000000001';
  async up(db: QueryRunner) {
    await db.query('SELECT pg_sleep(0.4)');
    await db.query('CREATE TABLE slow_thing (id int PRIMARY KEY)');
  }
  async down(db: QueryRunner) {
    await db.query('DROP TABLE slow_thing');
  }
}

const quiet = pino({ level: 'silent' });

describe('migrations at start-up', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('migrate_lock');
  });
  afterAll(() => dropTestDatabase(url));

  it('migrate once when replicas start together: the others wait for the lock and find nothing pending', async () => {
    const replicas = [1, 2, 3].map((n) => createDataSource({ url, entities: [], migrations: [SlowTable1700000000001], applicationName: `replica-${n}` }));
    await Promise.all(replicas.map((db) => db.initialize()));
    try {
      const applied = await Promise.all(replicas.map((db) => migrateUnderLock(db, quiet, { pollMs: 50 })));
      expect(applied.map((names) => names.length).sort()).toEqual([0, 0, 1]);
      const [row] = (await replicas[0]?.query('SELECT count(*)::int AS n FROM migrations')) as { n: number }[];
      expect(row?.n).toBe(1);
      // The lock is given back: a later start takes it at once.
      const later = replicas[1];
      if (later) expect(await migrateUnderLock(later, quiet, { timeoutMs: 1000 })).toEqual([]);
    } finally {
      await Promise.all(replicas.map((db) => db.destroy()));
    }
  });
});

describe('request ids', () => {
  it('takes the trace id of a valid W3C traceparent and nothing else', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceIdFromHeader(`00-${id}-00f067aa0ba902b7-01`)).toBe(id);
    expect(traceIdFromHeader(traceparentFor(id))).toBe(id);
    expect(traceIdFromHeader(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdFromHeader('00-xyz-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdFromHeader(undefined)).toBeUndefined();
    expect(traceIdFromHeader([`00-${id}-00f067aa0ba902b7-01`])).toBeUndefined();
  });
});

describe('/metrics access', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is open on the own port in development, closed in production unless a port or a token is set', () => {
    delete process.env.METRICS_PORT;
    delete process.env.METRICS_TOKEN;
    process.env.NODE_ENV = 'development';
    expect(metricsAccessFromEnv()).toEqual({ onMainPort: { token: null }, port: 0 });
    process.env.NODE_ENV = 'production';
    expect(metricsAccessFromEnv()).toEqual({ onMainPort: null, port: 0 });
    process.env.METRICS_PORT = '9464';
    expect(metricsAccessFromEnv()).toEqual({ onMainPort: null, port: 9464 });
    process.env.METRICS_TOKEN = 'a-long-enough-metrics-token';
    expect(metricsAccessFromEnv()).toEqual({ onMainPort: { token: 'a-long-enough-metrics-token' }, port: 9464 });
    process.env.METRICS_TOKEN = 'short';
    expect(() => metricsAccessFromEnv()).toThrow(/at least 16/);
  });

  it('asks for the bearer token when one is set, and serves Prometheus text with it', async () => {
    const token = 'a-long-enough-metrics-token';
    rateLimitRefusals.inc({ limit: 'test-limit' });
    const server = http.createServer((req, res) => void serveMetrics(req, res, token));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    try {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-same-len' } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      const text = await ok.text();
      expect(text).toMatch(/nimo_rate_limit_refusals_total\{limit="test-limit"\} 1/);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('progress of long work', () => {
  it('reports done, share and rate at most once an interval, and the end', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const report = progress(logger, 'demo cases', 1000, 0);
    report.update(250);
    report.finish({ contacts: 3 });
    expect(lines[0]).toMatchObject({ task: 'demo cases', done: 250, total: 1000, percent: 25 });
    expect(lines[1]).toMatchObject({ task: 'demo cases', total: 1000, contacts: 3, msg: 'demo cases: done' });
    const slow = progress(logger, 'x', 10, 60_000);
    slow.update(1);
    expect(lines).toHaveLength(2);
  });
});
