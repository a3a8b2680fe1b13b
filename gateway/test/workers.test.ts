import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

// The gateway as `npm start` and the image run it (dist/main.js) with GATEWAY_WORKERS=2: a cluster's
// primary and two workers behind one port. No database (API keys off); a fake directory subgraph
// that answers slowly, to see a request in flight finish during the drain.
const MAIN = path.join(__dirname, '..', 'dist', 'main.js');
const SECRET = 'workers-test-secret-0123456789abcdef';

interface Gateway {
  readonly child: ChildProcess;
  readonly port: number;
  readonly log: () => string;
  readonly exited: Promise<number | null>;
}

const children = (pid: number): number[] =>
  fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One request on a connection of its own (no keep-alive), so that the primary hands each to the next worker. */
function request(port: number, urlPath: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        path: urlPath,
        method: body ? 'POST' : 'GET',
        agent: false,
        headers: body ? { 'content-type': 'application/json', ...headers } : headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A port nothing listens on now, from the system (a fixed range could be taken by another test's server). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function startGateway(env: NodeJS.ProcessEnv): Promise<Gateway> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GATEWAY_WORKERS: '2', DATABASE_URL: '', GATEWAY_DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close': the process has exited and its output has been read to the end.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, port, log: () => output, exited };
}

const count = (text: string, message: string) => text.split('\n').filter((line) => line.includes(`"msg":"${message}"`)).length;

jest.setTimeout(180_000);

describe('the gateway with GATEWAY_WORKERS=2', () => {
  let slow: http.Server;
  let slowPort = 0;
  let gateway: Gateway | undefined;

  beforeAll(async () => {
    // A directory subgraph that takes 1.5 s per answer.
    slow = http.createServer((req, res) => {
      req.resume();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { jurisdiction: { name: '千代田区' } } }));
      }, 1500);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    slowPort = (slow.address() as AddressInfo).port;
  });

  afterEach(async () => {
    if (gateway && gateway.child.exitCode === null) {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
    gateway = undefined;
  });

  afterAll(() => new Promise<void>((resolve) => slow.close(() => resolve())));

  it('serves from two workers, counts rate limits and metrics across them, restarts a dead worker and drains all on SIGTERM', async () => {
    gateway = await startGateway({
      HUB_INTERNAL_SECRET: SECRET,
      RATE_LIMIT_REQUESTS: '4',
      RATE_LIMIT_TRUST_PROXY: '1',
      DIRECTORY_URL: `http://127.0.0.1:${slowPort}/graphql`,
    });
    const g = gateway;
    // On a time-out, say what the gateway printed (a start that failed says why).
    await until('two workers listening', () => count(g.log(), 'gateway listening') === 2).catch((error: Error) => {
      throw new Error(`${error.message}; exit ${g.child.exitCode}; log:\n${g.log().slice(-3000)}`);
    });
    const pid = g.child.pid ?? 0;
    const workers = children(pid);
    expect(workers).toHaveLength(2);
    expect(JSON.parse((await request(g.port, '/health')).text)).toMatchObject({ status: 'ok' });

    // Six requests, each on a new connection (handed to the workers in turn): the caller's limit of
    // four holds for the gateway as a whole, not four per worker.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(g.port, '/graphql', JSON.stringify({ query: '{ __typename }' }))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);

    // /metrics from either worker counts the whole gateway's answers (aggregated by the primary).
    const answered = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('nimo_graphql_requests_total{') && line.includes('status="200"'))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const scrapes = [await request(g.port, '/metrics'), await request(g.port, '/metrics')];
    for (const scrape of scrapes) {
      expect(scrape.status).toBe(200);
      expect(answered(scrape.text)).toBe(4);
    }

    // A worker that dies is replaced; the other serves meanwhile.
    const [victim] = workers;
    process.kill(victim ?? 0, 'SIGKILL');
    expect((await request(g.port, '/health')).status).toBe(200);
    await until('a new worker', () => {
      const now = children(pid);
      return now.length === 2 && !now.includes(victim ?? 0);
    });
    await until('the new worker listening', () => count(g.log(), 'gateway listening') === 3);
    expect(g.log()).toContain('stopped unexpectedly; restarting it');

    // SIGTERM while a request is in flight (another caller: the first has spent its limit): it is
    // answered, then every worker and the primary exit 0.
    const inFlight = request(g.port, '/graphql', JSON.stringify({ query: '{ jurisdiction(code: "131016") { name } }' }), { 'x-forwarded-for': '192.0.2.7' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const before = children(pid);
    g.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ data: { jurisdiction: { name: '千代田区' } } });
    expect(await g.exited).toBe(0);
    expect(g.log()).toContain('every gateway worker has stopped');
    for (const w of before) expect(fs.existsSync(`/proc/${w}`)).toBe(false);
  });

  it('gives identical reads in flight one answer whichever worker they reached, unless the answer named who asked', async () => {
    // A directory subgraph that holds its answers until the test lets them go, marking them shareable or not.
    let asked = 0;
    let shareable = true;
    let release: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const held = http.createServer((req, res) => {
      req.resume();
      asked += 1;
      void gate.then(() => {
        res.writeHead(200, { 'content-type': 'application/json', ...(shareable ? { 'x-nimo-shareable': '1' } : {}) });
        res.end(JSON.stringify({ data: { jurisdiction: { name: '千代田区' } } }));
      });
    });
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    try {
      // Without the sharing of identical subgraph reads (data-source.ts), which would merge the personal ones of one worker.
      gateway = await startGateway({
        HUB_INTERNAL_SECRET: SECRET,
        SUBGRAPH_DEDUPE: '0',
        DIRECTORY_URL: `http://127.0.0.1:${(held.address() as AddressInfo).port}/graphql`,
      });
      const g = gateway;
      await until('two workers listening', () => count(g.log(), 'gateway listening') === 2);
      const body = JSON.stringify({ query: '{ jurisdiction(code: "131016") { name } }' });
      // Four connections, handed to the two workers in turn.
      const together = async () => {
        asked = 0;
        gate = new Promise<void>((resolve) => (release = resolve));
        const answers = [0, 1, 2, 3].map(() => request(g.port, '/graphql', body));
        await until('the subgraph asked', () => asked >= 1);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const during = asked;
        release();
        for (const answer of await Promise.all(answers)) {
          expect(answer.status).toBe(200);
          expect(JSON.parse(answer.text)).toEqual({ data: { jurisdiction: { name: '千代田区' } } });
        }
        return { during, after: asked };
      };
      expect(await together()).toEqual({ during: 1, after: 1 });
      // An answer that depended on who asked (not marked by the subgraph) is not given to the others: each asks.
      shareable = false;
      expect((await together()).after).toBe(4);
    } finally {
      release();
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  });

  it('keeps answering identical reads with large answers from both workers under load', async () => {
    // Answers of 1.2 MB: the primary's channel to a worker then has a backlog, and process.send says so (false).
    const name = '千'.repeat(400_000);
    const big = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'x-nimo-shareable': '1' });
      res.end(JSON.stringify({ data: { jurisdiction: { name } } }));
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    try {
      gateway = await startGateway({ HUB_INTERNAL_SECRET: SECRET, DIRECTORY_URL: `http://127.0.0.1:${(big.address() as AddressInfo).port}/graphql` });
      const g = gateway;
      await until('two workers listening', () => count(g.log(), 'gateway listening') === 2);
      const body = JSON.stringify({ query: '{ jurisdiction(code: "131016") { name } }' });
      const client = async () => {
        for (let i = 0; i < 15; i++) {
          const answer = await request(g.port, '/graphql', body);
          expect(answer.status).toBe(200);
          expect(answer.text.length).toBeGreaterThan(400_000);
        }
      };
      await Promise.all(Array.from({ length: 8 }, client));
    } finally {
      await new Promise<void>((resolve) => big.close(() => resolve()));
    }
  }, 60_000);

  it('stops at once when idle, as under npm start (NODE_ENV not test), every worker exiting by itself', async () => {
    // Jest sets NODE_ENV=test, which hides Apollo Server's own SIGTERM handler; npm start and the
    // images do not. With that handler, apollo.stop() waited in every worker until the primary
    // killed it SHUTDOWN_GRACE_MS + 5 s later and exited 1.
    gateway = await startGateway({ HUB_INTERNAL_SECRET: SECRET, NODE_ENV: 'development', SHUTDOWN_GRACE_MS: '10000' });
    const g = gateway;
    await until('two workers listening', () => count(g.log(), 'gateway listening') === 2);
    const workers = children(g.child.pid ?? 0);
    g.child.kill('SIGTERM');
    expect(await g.exited).toBe(0);
    expect(g.log()).toContain('every gateway worker has stopped');
    expect(g.log()).not.toContain('did not stop in time');
    for (const w of workers) expect(fs.existsSync(`/proc/${w}`)).toBe(false);
  });

  it("fails its start with the first worker's reason, and exits 1", async () => {
    gateway = await startGateway({ HUB_INTERNAL_SECRET: '' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.log()).toContain('HUB_INTERNAL_SECRET is not set');
    expect(gateway.log()).toContain('gateway workers failed to start');
  });

  it('runs in one process with GATEWAY_WORKERS=1', async () => {
    gateway = await startGateway({ HUB_INTERNAL_SECRET: SECRET, GATEWAY_WORKERS: '1' });
    const g = gateway;
    await until('the gateway listening', () => count(g.log(), 'gateway listening') === 1);
    expect(children(g.child.pid ?? 0)).toHaveLength(0);
    g.child.kill('SIGTERM');
    expect(await g.exited).toBe(0);
  });
});
