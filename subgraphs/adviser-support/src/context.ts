import type { SubgraphContext } from '@nimo/kit';
import type { Loaders } from './loaders';

export type Context = SubgraphContext<Loaders>;
