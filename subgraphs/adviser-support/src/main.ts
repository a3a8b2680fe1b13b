import { runSubgraphProcess } from '@nimo/kit';
import { subgraph } from './index';

runSubgraphProcess(subgraph);
