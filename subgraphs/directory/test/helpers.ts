import { postToSubgraph, startTestSubgraph, type SubgraphAnswer } from '@nimo/kit/testing';
import { subgraph } from '../src';

export type Answer<T = Record<string, unknown>> = SubgraphAnswer<T>;

/** The directory subgraph on its own fresh database (migrated and seeded), over real HTTP. */
export const startDirectory = () => startTestSubgraph(subgraph);

/** The directory is public: a query as the public principal, as the gateway would forward it. */
export const post = <T = Record<string, unknown>>(endpoint: string, query: string, variables?: Record<string, unknown>) =>
  postToSubgraph<T>(endpoint, query, variables);
