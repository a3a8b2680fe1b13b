import { createLogger, SQL_COUNT_HEADER, startSubgraph, type Principal, type StartedSubgraph } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase, hopHeaders } from '@nimo/kit/dist/testing';
import { subgraph } from '../src';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  sql: number;
}

export const NATION: Principal = { role: 'nation', subject: 'test-nation', jurisdictionCodes: [], organizationId: null };

/** The adviser-support subgraph on its own fresh database (migrated and seeded), over real HTTP. */
export async function startAdviserSupport(): Promise<{ server: StartedSubgraph; url: string; seedMs: number; stop(): Promise<void> }> {
  const url = await createTestDatabase('adviser_support');
  const logger = createLogger('adviser-support-test');
  const server = await startSubgraph(subgraph, { url, port: 0, seed: false, logger });
  const started = Date.now();
  await subgraph.seed?.(server.db, logger);
  const seedMs = Date.now() - started;
  return {
    server,
    url,
    seedMs,
    async stop() {
      await server.close();
      await dropTestDatabase(url);
    },
  };
}

export async function post<T = Record<string, unknown>>(endpoint: string, query: string, variables?: Record<string, unknown>, principal: Principal = NATION): Promise<Answer<T>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await hopHeaders(principal)) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<Answer<T>, 'status' | 'sql'>;
  return { status: response.status, ...body, sql: Number(response.headers.get(SQL_COUNT_HEADER)) };
}
