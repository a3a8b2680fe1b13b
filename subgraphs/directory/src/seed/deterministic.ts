/** The deterministic helpers live in the kit, so other subgraphs can recompute the directory's demo ids. */
export { demoUuid, pick, unit } from '@nimo/kit';
