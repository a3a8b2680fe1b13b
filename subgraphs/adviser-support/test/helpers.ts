import { createLogger, type Principal } from '@nimo/kit';
import { postToSubgraph, startTestSubgraph, type SubgraphAnswer } from '@nimo/kit/testing';
import { subgraph } from '../src';

export type Answer<T = Record<string, unknown>> = SubgraphAnswer<T>;

export const NATION: Principal = { role: 'nation', subject: 'test-nation', jurisdictionCodes: [], organizationId: null };

/** The adviser-support subgraph on its own fresh database (migrated), then seeded. */
export async function startAdviserSupport() {
  const hub = await startTestSubgraph(subgraph, { seed: false });
  await subgraph.seed?.(hub.server.db, createLogger('adviser-support-test'));
  return hub;
}

/** A query as if the gateway forwarded it for a principal (the nation by default). */
export const post = <T = Record<string, unknown>>(endpoint: string, query: string, variables?: Record<string, unknown>, principal: Principal = NATION) =>
  postToSubgraph<T>(endpoint, query, variables, principal);
