import { postToSubgraph, startTestSubgraph, type SubgraphAnswer } from '@nimo/kit/testing';
import { subgraph } from '../src';

export type Answer<T = Record<string, unknown>> = SubgraphAnswer<T>;

/** The training subgraph on its own fresh database (migrated and seeded), over real HTTP. */
export const startTraining = () => startTestSubgraph(subgraph);

/** A query as if the gateway forwarded it for a principal (public by default). */
export const post = postToSubgraph;
