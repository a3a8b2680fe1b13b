// The benchmark's floor: one process that answers each dashboard request by running, straight on the
// four subgraphs' databases, the SQL statements the hub's subgraphs ran for the same request
// (captured with their parameters on the benchmark's first start, kit NIMO_SQL_CAPTURE), and sends
// the rows as JSON. No GraphQL, no federation, no gateway: the least work that reads the same data.
//
// FLOOR_SCRIPTS: a JSON file { <request body>: { <subgraph>: CapturedStatement[] } }; FLOOR_DATABASES:
// JSON { <subgraph>: <database URL> }; PORT. On start it replays every script once and stops if any
// statement returns rows other than the hub's subgraph got (count and digest).
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
  for (const [body, script] of scripts) {
    const problems = replayDifferences(script, await replay(pools, script));
    if (problems.length > 0) throw new Error(`floor: replaying ${(JSON.parse(body) as { operationName?: string }).operationName ?? body.slice(0, 40)} read other rows than the hub: ${problems.slice(0, 5).join('; ')}`);
  }
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const script = scripts.get(Buffer.concat(chunks).toString('utf8'));
      if (!script) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"the floor knows no such request"}]}');
        return;
      }
      replay(pools, script).then(
        (rows) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows })),
        (error: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(Number(required('PORT')), '127.0.0.1', resolve));
  const stop = () => server.close(() => void Promise.all([...pools.values()].map((p) => p.end())).then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
