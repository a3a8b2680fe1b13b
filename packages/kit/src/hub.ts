/**
 * The subgraphs of the hub: one line each. The runner, the composition script and the gateway all
 * read this list, so adding a subgraph starts here.
 */
export interface SubgraphInfo {
  /** Name in the supergraph and in environment variables (upper-cased, `-` as `_`). */
  readonly name: string;
  /** Default port when run locally. */
  readonly port: number;
  /** Default database name on a shared server. */
  readonly database: string;
}

export const SUBGRAPHS: readonly SubgraphInfo[] = [
  { name: 'directory', port: 4001, database: 'nimo_directory' },
  { name: 'consultation', port: 4002, database: 'nimo_consultation' },
  { name: 'training', port: 4004, database: 'nimo_training' },
  { name: 'adviser-support', port: 4003, database: 'nimo_adviser_support' },
];

export const GATEWAY_PORT = 4000;

/** The gateway's own small database (vendor API keys), on the same server as the subgraphs' by default. */
export const GATEWAY_DATABASE = 'nimo_gateway';

export function subgraphInfo(name: string): SubgraphInfo {
  const info = SUBGRAPHS.find((s) => s.name === name);
  if (!info) throw new Error(`unknown subgraph ${name}`);
  return info;
}

/** `adviser-support` → `ADVISER_SUPPORT`, the prefix of a subgraph's environment variables. */
export const envPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

/** The URL the gateway uses for a subgraph: `<NAME>_URL`, else localhost on the default port. */
export function subgraphUrl(name: string): string {
  return process.env[`${envPrefix(name)}_URL`] ?? `http://127.0.0.1:${subgraphInfo(name).port}/graphql`;
}
