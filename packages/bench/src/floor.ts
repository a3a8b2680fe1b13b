// The benchmark's floor: one process that answers each dashboard request by running, straight on the
// four subgraphs' databases, the SQL statements the hub's subgraphs ran for the same request
// (captured with their parameters on the benchmark's first start, kit NIMO_SQL_CAPTURE), and answers
// how many rows each statement read. No GraphQL, no federation, no gateway: the least work that reads
// the same data. The rows are read and decoded by the driver as in the subgraphs, but not sent: they
// hold every column of every entity loaded (17 MB of JSON for a national overview at 100,000 cases,
// against the dashboard's 0.66 MB), and serialising them would be work no dashboard answer needs.
//
// FLOOR_SCRIPTS: a JSON file { <request body>: { <subgraph>: CapturedStatement[] } }; FLOOR_DATABASES:
// JSON { <subgraph>: <database URL> }; PORT. With FLOOR_CHECK=1 it only replays every script once,
// fails if any statement returns rows other than the hub's subgraph got (count and digest), and exits:
// the benchmark runs that check while the hub that was captured still runs on the same data (a restart
// advances the figures' generation sequences, which some statements read).
import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { replay, replayDifferences, type Script } from './replay';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`floor: ${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const scripts = new Map(Object.entries(JSON.parse(fs.readFileSync(required('FLOOR_SCRIPTS'), 'utf8')) as Record<string, Script>));
  const databases = JSON.parse(required('FLOOR_DATABASES')) as Record<string, string>;
  const pools = new Map(Object.entries(databases).map(([name, url]) => [name, new pg.Pool({ connectionString: url, max: 10 })]));
  if (process.env.FLOOR_CHECK === '1') {
    for (const [body, script] of scripts) {
      const problems = replayDifferences(script, await replay(pools, script));
      const name = (JSON.parse(body) as { operationName?: string }).operationName ?? body.slice(0, 40);
      if (problems.length > 0) throw new Error(`floor: replaying ${name} read other rows than the hub: ${problems.slice(0, 5).join('; ')}`);
      const statements = Object.values(script).reduce((n, list) => n + list.length, 0);
      const rows = Object.values(script).reduce((n, list) => n + list.reduce((m, st) => m + (st.rows ?? 0), 0), 0);
      process.stdout.write(
        `  ${name}: the floor's ${statements} statements read the same ${rows.toLocaleString('en')} rows as the hub's subgraphs (count and digest of each)\n`,
      );
    }
    await Promise.all([...pools.values()].map((p) => p.end()));
    return;
  }
  // Identical requests in flight share one replay, as the gateways share identical subgraph reads in
  // flight (ours: SUBGRAPH_DEDUPE; Hive Gateway likewise): with eight clients asking the same
  // dashboard, neither side does the work eight times.
  const inFlight = new Map<string, Promise<string>>();
  const answer = (body: string, script: Script): Promise<string> => {
    const shared = inFlight.get(body);
    if (shared) return shared;
    const run = replay(pools, script)
      .then((rows) => JSON.stringify({ data: Object.fromEntries(Object.entries(rows).map(([name, list]) => [name, list.map((r) => r.length)])) }))
      .finally(() => inFlight.delete(body));
    inFlight.set(body, run);
    return run;
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const script = scripts.get(body);
      if (!script) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"the floor knows no such request"}]}');
        return;
      }
      answer(body, script).then(
        (json) => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
        (error: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(Number(required('PORT')), '127.0.0.1', resolve));
  const stop = () => server.close(() => void Promise.all([...pools.values()].map((p) => p.end())).then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Started by the benchmark with an IPC channel: when it goes, so does this process.
  process.channel?.unref();
  process.once('disconnect', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
