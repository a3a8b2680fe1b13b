import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { freePort } from '@nimo/kit/dev';
import { createTestDatabase, dropTestDatabase, testServerUrl } from '@nimo/kit/testing';
import { alive, startRunner, type LogLine } from './runner-process';

/**
 * Start-up failures say why and exit non-zero (issue 14, point 6): a hub process started as the
 * images start it (node on its main.js, production), and `npm start`, each with one thing wrong.
 * And a process started that way stops cleanly on SIGTERM (point 2, as a container runtime stops it).
 */
jest.setTimeout(240_000);

interface Ended {
  code: number | null;
  lines: LogLine[];
  output: string;
}

/** Runs a hub process to its end (at most 2 minutes) with only the environment given. */
function runToEnd(script: string, env: NodeJS.ProcessEnv): Promise<Ended> {
  // Only what the test gives: never DATABASE_URL, ports or secrets of a developer's `npm start`.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/DATABASE_URL$|_PORT$|^PORT$|^HOST$|^NODE_ENV$|^HUB_INTERNAL_SECRET$|_KEYS$/.test(name)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve(script)], { env: { ...base, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not end within 2 minutes:\n${output}`));
    }, 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine);
      resolve({ code, lines, output });
    });
  });
}

const DIRECTORY = '@nimo/directory/main';
const SECRET = 'a-hop-secret-of-forty-characters-012345';
/** The line that says why the start failed (`runProcess`: level fatal). */
const fatal = (ended: Ended) => ended.lines.find((l) => l.level === 60)?.msg ?? '';

/** A port some other program listens on. */
async function takenPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An audit key as production requires one (`<id>:<secret of 32+ characters>`). */
const AUDIT_KEYS = `test:${'k'.repeat(40)}`;

describe('a hub process started as an image starts it', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('startup_directory');
  });
  afterAll(() => dropTestDatabase(url));

  it('names a port that another program holds, and how to choose another', async () => {
    const other = await takenPort();
    try {
      const ended = await runToEnd(DIRECTORY, {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(other.port),
        HUB_INTERNAL_SECRET: SECRET,
        // The directory audits its forum records: production needs the audit chain's key.
        AUDIT_HMAC_KEYS: AUDIT_KEYS,
        DIRECTORY_DATABASE_URL: url,
        SEED: '0',
      });
      expect(ended.code).toBe(1);
      expect(fatal(ended)).toBe(
        `start failed: directory: port ${other.port} on 127.0.0.1 is already taken by another program (stop it, or give this process another port with PORT)`,
      );
    } finally {
      await other.close();
    }
  });

  it('names a database that cannot be reached, without its password, and the setting to check', async () => {
    const nowhere = await freePort();
    const ended = await runToEnd(DIRECTORY, {
      NODE_ENV: 'production',
      PORT: '0',
      HUB_INTERNAL_SECRET: SECRET,
      DIRECTORY_DATABASE_URL: `postgres://nimo_directory:very-secret-password@127.0.0.1:${nowhere}/nimo_directory`,
    });
    expect(ended.code).toBe(1);
    expect(fatal(ended)).toBe(
      `start failed: directory: its database: cannot open postgres://nimo_directory:***@127.0.0.1:${nowhere}/nimo_directory: nothing accepts connections at ` +
        `127.0.0.1:${nowhere}: is PostgreSQL running there, on that port? Check DIRECTORY_DATABASE_URL.`,
    );
    expect(ended.output).not.toContain('very-secret-password');
  });

  it('names a role that the server does not let in', async () => {
    const server = new URL(testServerUrl());
    server.pathname = '/nimo_startup_no_such_database';
    server.username = 'nimo_startup_no_such_role';
    const ended = await runToEnd(DIRECTORY, { NODE_ENV: 'production', PORT: '0', HUB_INTERNAL_SECRET: SECRET, DIRECTORY_DATABASE_URL: server.toString() });
    expect(ended.code).toBe(1);
    // The test server may refuse the unknown role (28000) or its password (28P01), as its pg_hba.conf says;
    // the embedded server's URL carries a password, printed as ***.
    expect(fatal(ended)).toMatch(
      /^start failed: directory: its database: cannot open postgres:\/\/nimo_startup_no_such_role(:\*\*\*)?@.*: (the server does not let role nimo_startup_no_such_role in|the password of role nimo_startup_no_such_role is wrong).*\. Check DIRECTORY_DATABASE_URL\.$/,
    );
  });

  it('refuses a missing or short hop secret, saying which', async () => {
    const missing = await runToEnd(DIRECTORY, { NODE_ENV: 'production', PORT: '0', DIRECTORY_DATABASE_URL: url });
    expect(missing.code).toBe(1);
    expect(fatal(missing)).toBe(
      'start failed: HUB_INTERNAL_SECRET is not set: it must be set to at least 32 characters, the same for the gateway and every subgraph',
    );
    const short = await runToEnd(DIRECTORY, { NODE_ENV: 'production', PORT: '0', DIRECTORY_DATABASE_URL: url, HUB_INTERNAL_SECRET: 'too-short' });
    expect(short.code).toBe(1);
    expect(fatal(short)).toMatch(/^start failed: HUB_INTERNAL_SECRET has 9 characters: it must be set to at least 32/);
  });
});

describe('npm start', () => {
  it('names a subgraph port that another program holds, and the variable that moves it; nothing is left running', async () => {
    const other = await takenPort();
    const hub = await startRunner({ DIRECTORY_PORT: String(other.port) });
    try {
      expect(await hub.exited).toBe(1);
      const line = hub.lines.find((l) => l.level === 60);
      expect(line?.msg).toBe(
        `the hub failed to start: port ${other.port} (the directory subgraph) is already taken: another Nimo Hub or another program is listening on it. ` +
          `Stop it, or choose another port with DIRECTORY_PORT=<port>.`,
      );
      // It checked before starting anything.
      expect(hub.lines.filter((l) => /is ready/.test(l.msg ?? ''))).toEqual([]);
    } finally {
      await hub.dispose();
      await other.close();
    }
  });

  it("passes on a subgraph's own reason (a database that cannot be reached) and stops what it had started", async () => {
    const nowhere = await freePort();
    const hub = await startRunner({ TRAINING_DATABASE_URL: `postgres://postgres@127.0.0.1:${nowhere}/nimo_training` });
    try {
      expect(await hub.exited).toBe(1);
      const line = hub.lines.find((l) => l.service === 'hub' && l.level === 60);
      expect(line?.msg).toMatch(
        new RegExp(
          `^the hub failed to start: training failed to start: training: its database: cannot open postgres://postgres@127\\.0\\.0\\.1:${nowhere}/nimo_training: nothing accepts connections .* Check TRAINING_DATABASE_URL\\.$`,
        ),
      );
      const started = hub.lines.filter((l) => l.service === 'hub' && typeof l.pid === 'number' && /is ready/.test(l.msg ?? '')).map((l) => l.pid as number);
      for (const pid of started) expect(alive(pid)).toBe(false);
    } finally {
      await hub.dispose();
    }
  });
});

describe('the gateway started as an image starts it, on SIGTERM', () => {
  it('stops accepting, lets the requests in flight finish, and exits 0', async () => {
    // A subgraph that takes 2 s over every answer: the requests are in flight when the stop comes.
    const slow = http.createServer((req, res) => {
      req.resume();
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"jurisdictions":{"totalCount":7}}}'), 2000);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const subgraph = `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}/graphql`;
    const port = await freePort();
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/DATABASE_URL$|_PORT$|^PORT$|^HOST$|^NODE_ENV$|_URL$/.test(name)));
    const child = spawn(process.execPath, [require.resolve('@nimo/gateway/main')], {
      env: {
        ...base,
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        HUB_INTERNAL_SECRET: SECRET,
        DIRECTORY_URL: subgraph,
        SUBGRAPH_TIMEOUT_MS: '10000',
        SHUTDOWN_GRACE_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const endpoint = `http://127.0.0.1:${port}/graphql`;
    try {
      const deadline = Date.now() + 120_000;
      while (!/"msg":"gateway listening"/.test(output) && Date.now() < deadline && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 200));
      const ask = () =>
        fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ jurisdictions(first: 1) { totalCount } }' }),
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const inFlight = Array.from({ length: 20 }, ask);
      // Every request has reached the gateway (and the slow subgraph) before the stop.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      expect(answers).toEqual(Array(20).fill({ status: 200, body: { data: { jurisdictions: { totalCount: 7 } } } }));
      expect(await exited).toBe(0);
      const messages = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as LogLine).msg);
      expect(messages.indexOf('stopping')).toBeGreaterThan(-1);
      expect(messages.indexOf('stopping: letting requests in flight finish')).toBeGreaterThan(messages.indexOf('stopping'));
      // Nothing is accepted after the stop.
      await expect(ask()).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});
