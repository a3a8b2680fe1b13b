import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../database/admin';
import { withDatabase } from '../database/url';
import { HOP_HEADER, hopKey, signHop } from '../auth/hop';
import { PUBLIC_PRINCIPAL, type Principal } from '../auth/principal';
import { SQL_COUNT_HEADER } from '../http/server';
import { createLogger } from '../logger';
import { startSubgraph, type StartedSubgraph, type SubgraphDefinition } from '../subgraph';

/** The PostgreSQL server of this test run (see global-setup). */
export function testServerUrl(): string {
  const url = process.env.NIMO_TEST_SERVER_URL;
  if (!url) throw new Error('no test database server: use the jest preset with { database: true }');
  return url;
}

/** A new, empty database for one test file; drop it with `dropTestDatabase`. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const url = withDatabase(testServerUrl(), `nimo_test_${prefix.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(url);
  return url;
}

export const dropTestDatabase = dropDatabase;

/** Headers that make a request look as if the gateway forwarded it for this principal. */
export async function hopHeaders(principal: Principal = PUBLIC_PRINCIPAL): Promise<Record<string, string>> {
  return { [HOP_HEADER]: await signHop(principal, hopKey()) };
}

/** One subgraph on its own fresh database (migrated; seeded unless asked not to), over real HTTP. */
export async function startTestSubgraph<TLoaders>(
  definition: SubgraphDefinition<TLoaders>,
  options: { seed?: boolean } = {},
): Promise<{ server: StartedSubgraph; url: string; stop(): Promise<void> }> {
  const url = await createTestDatabase(definition.name.replace(/-/g, '_'));
  const server = await startSubgraph(definition, { url, port: 0, seed: options.seed ?? true, logger: createLogger(`${definition.name}-test`) });
  return {
    server,
    url,
    async stop() {
      await server.close();
      await dropTestDatabase(url);
    },
  };
}

/** A subgraph's answer with the SQL statements it ran (the diagnostics header). */
export interface SubgraphAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
  sql: number;
}

/** Posts a query straight to a subgraph as if the gateway forwarded it for `principal` (public by default). */
export async function postToSubgraph<T = Record<string, unknown>>(
  endpoint: string,
  query: string,
  variables?: Record<string, unknown>,
  principal: Principal = PUBLIC_PRINCIPAL,
): Promise<SubgraphAnswer<T>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await hopHeaders(principal)) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<SubgraphAnswer<T>, 'status' | 'sql'>;
  return { status: response.status, ...body, sql: Number(response.headers.get(SQL_COUNT_HEADER)) };
}
export * from './lp-attack';

/**
 * For trend tests: one aliased field per fiscal year (`y2020: field(fiscalYear: 2020) { … }`), to ask
 * the one-year field for every year of a range in one query, and the answers of those aliases in
 * year order (what the range field must equal).
 */
export function oneYearAliases(field: string, years: readonly number[], selection: string): string {
  return years.map((y) => `y${y}: ${field}(fiscalYear: ${y}) ${selection}`).join('\n');
}

export function oneYearAnswers<T>(answer: Readonly<Record<string, unknown>>, years: readonly number[]): T[] {
  return years.map((y) => answer[`y${y}`] as T);
}

type NotFaked = 'nextTick' | 'setImmediate' | 'setTimeout' | 'setInterval' | 'clearTimeout' | 'clearInterval' | 'queueMicrotask' | 'hrtime' | 'performance';

/**
 * Jest's fake timers with only the clock faked, set to `now` (`jest.useFakeTimers(onlyTheClock(now))`):
 * `Date` moves with `jest.setSystemTime`, while promises, Node's timers and I/O run as usual (jose,
 * pg and HTTP keep working).
 */
export function onlyTheClock(now: number): { now: number; doNotFake: NotFaked[] } {
  return {
    now,
    doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'],
  };
}
