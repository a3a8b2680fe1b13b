import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { printSubgraphSchema } from '@apollo/subgraph';
import { SUBGRAPHS } from '@nimo/kit';
import { MANIFEST_FILE, manifestText } from './operations';
import {
  buildSchema,
  findBreakingChanges,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLNamedType,
  parse,
  printSchema,
  type BreakingChange,
  type GraphQLSchema,
} from 'graphql';

/** The folder holding the checked-in SDL files (this package's root). */
export const SCHEMA_DIR = path.resolve(__dirname, '..');
export const SUPERGRAPH_FILE = path.join(SCHEMA_DIR, 'supergraph.graphql');
/** The client-facing API schema as last published to vendors; breaking changes are measured against it. */
export const BASELINE_FILE = path.join(SCHEMA_DIR, 'published', 'api.graphql');
export const subgraphFile = (name: string) => path.join(SCHEMA_DIR, 'subgraphs', `${name}.graphql`);

interface SubgraphModule {
  subgraph: { buildSchema(): Promise<GraphQLSchema> };
}

/** Each subgraph's SDL, printed from the subgraph's own schema (every subgraph package exports `subgraph`). */
export async function subgraphSdls(): Promise<Record<string, string>> {
  const sdls: Record<string, string> = {};
  for (const info of SUBGRAPHS) {
    // Each subgraph is the workspace package @nimo/<name>, named at run time from the kit's registry.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`@nimo/${info.name}`) as SubgraphModule;
    sdls[info.name] = `${printSubgraphSchema(await mod.subgraph.buildSchema()).trim()}\n`;
  }
  return sdls;
}

/** Composes the supergraph from the subgraph SDLs; throws with every composition error. */
export function compose(sdls: Record<string, string>): string {
  const result = composeServices(
    SUBGRAPHS.map((info) => ({
      name: info.name,
      url: `http://${info.name}:${info.port}/graphql`,
      typeDefs: parse(sdls[info.name] ?? ''),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trim()}\n`;
}

/** The API schema clients see (federation machinery removed), as SDL. */
export function apiSchemaSdl(supergraphSdl: string): string {
  return `${printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema()).trim()}\n`;
}

/** The form every deprecation reason takes (docs/versioning.md): the replacement and the removal date. */
export const DEPRECATION_REASON = /^Use .+\. Removed after \d{4}-\d{2}-\d{2}\.$/;

/** Deprecated fields, arguments, enum values and input fields whose reason does not follow the policy. */
export function deprecationsOutsidePolicy(sdl: string): string[] {
  const found: string[] = [];
  const check = (where: string, reason: string | null | undefined) => {
    if (reason !== null && reason !== undefined && !DEPRECATION_REASON.test(reason)) found.push(`${where}: "${reason}"`);
  };
  for (const type of Object.values(buildSchema(sdl).getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if ('getValues' in type) for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.deprecationReason);
    for (const field of fieldsOf(type)) {
      check(`${type.name}.${field.name}`, field.deprecationReason);
      for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.deprecationReason);
    }
  }
  return found;
}

/** A field of an object, interface or input type, with its arguments (none for an input field). */
export interface SchemaField {
  readonly name: string;
  readonly description: string | null | undefined;
  readonly deprecationReason: string | null | undefined;
  readonly args: readonly GraphQLArgument[];
}

/** The fields of a named type (none for scalars, enums and unions). */
export function fieldsOf(type: GraphQLNamedType): readonly SchemaField[] {
  if (isObjectType(type) || isInterfaceType(type)) return Object.values(type.getFields());
  if (isInputObjectType(type)) return Object.values(type.getFields()).map((f) => ({ ...f, args: [] }));
  return [];
}

/** Changes from `before` to `after` that can break an existing client. */
export function breakingChanges(beforeSdl: string, afterSdl: string): BreakingChange[] {
  return findBreakingChanges(buildSchema(beforeSdl), buildSchema(afterSdl));
}

export interface Generated {
  subgraphs: Record<string, string>;
  supergraph: string;
  api: string;
}

export async function generate(): Promise<Generated> {
  const subgraphs = await subgraphSdls();
  const supergraph = compose(subgraphs);
  return { subgraphs, supergraph, api: apiSchemaSdl(supergraph) };
}

/** Files that differ from what the subgraphs generate now (empty when current). */
export function staleFiles(generated: Generated): string[] {
  const expected: [string, string][] = [
    [SUPERGRAPH_FILE, generated.supergraph],
    ...Object.entries(generated.subgraphs).map(([name, sdl]): [string, string] => [subgraphFile(name), sdl]),
    [MANIFEST_FILE, manifestText()],
  ];
  return expected.filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text).map(([file]) => path.relative(SCHEMA_DIR, file));
}

export function writeGenerated(generated: Generated): void {
  fs.mkdirSync(path.join(SCHEMA_DIR, 'subgraphs'), { recursive: true });
  for (const [name, sdl] of Object.entries(generated.subgraphs)) fs.writeFileSync(subgraphFile(name), sdl);
  fs.writeFileSync(SUPERGRAPH_FILE, generated.supergraph);
  fs.mkdirSync(path.dirname(MANIFEST_FILE), { recursive: true });
  fs.writeFileSync(MANIFEST_FILE, manifestText());
}

export * from './documents';
export { dashboardManifest, dashboardOperations, manifestText, MANIFEST_FILE, OPERATIONS_DIR, type DashboardOperation } from './operations';
