import http from 'node:http';
import { subgraph } from '@nimo/directory';
import { startGateway } from '@nimo/gateway';
import { createLogger, startSubgraph, type Logger, type RunningServer, type StartedSubgraph } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/dist/testing';
import pino from 'pino';

/** The hub for end-to-end tests: the directory subgraph on a fresh database and the gateway, over HTTP. */
export interface TestHub {
  directory: StartedSubgraph;
  gateway: RunningServer;
  stop(): Promise<void>;
}

export async function startTestHub(): Promise<TestHub> {
  const url = await createTestDatabase('e2e');
  const directory = await startSubgraph(subgraph, { url, port: 0, seed: true, logger: createLogger('directory') });
  const gateway = await startGateway({ port: 0, subgraphUrls: { directory: directory.url }, explorer: true });
  return {
    directory,
    gateway,
    async stop() {
      await gateway.close();
      await directory.close();
      await dropTestDatabase(url);
    },
  };
}

/** A logger that keeps every line it writes, to assert on structured logs. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** A server that accepts requests and never answers (a hung subgraph). */
export async function hangingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(() => undefined);
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Answer<T> {
  status: number;
  text: string;
  body: { data?: T; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
}

export async function gql<T = Record<string, unknown>>(endpoint: string, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer<T>['body'] };
}
