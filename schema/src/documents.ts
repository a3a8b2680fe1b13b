import { createHash } from 'node:crypto';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { Kind, parse, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/**
 * Trusted documents in the standard form. A document's *body* is its text as GraphQL Code
 * Generator's client preset prints it for `persistedDocuments` (fields and directives only a client
 * knows, `@client` and `@connection`, removed; then `printExecutableGraphQLDocument` of
 * `@graphql-tools/documents`: definitions and selections sorted, whitespace minimised), and its id
 * is the SHA-256 of that body, hex. So the ids in the hub's manifest are the ids codegen computes
 * for the same documents (`sha256:<hex>` there, the GraphQL-over-HTTP persisted documents form),
 * and any two texts of one document (formatting, order of fragments) have the same id.
 */
export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export interface ManifestOperation {
  /** SHA-256 of `body`, hex. */
  readonly id: string;
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly body: string;
}

/** Apollo's persisted query manifest (what `@apollo/generate-persisted-query-manifest` writes and `@apollo/persisted-query-lists` reads). */
export interface PersistedQueryManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: 1;
  readonly operations: readonly ManifestOperation[];
}

const CLIENT_DIRECTIVE = 'client';
const CONNECTION_DIRECTIVE = 'connection';

/** The body of a document as codegen's client preset prints it (see above). Throws on a syntax error. */
export function normaliseDocument(document: string | DocumentNode): string {
  const node = typeof document === 'string' ? parse(document, { noLocation: true }) : document;
  const clientOnly = (n: { directives?: readonly { name: { value: string } }[] }) => n.directives?.some((d) => d.name.value === CLIENT_DIRECTIVE) ?? false;
  const sanitised = visit(node, {
    [Kind.FIELD]: (field) => (clientOnly(field) ? null : undefined),
    [Kind.FRAGMENT_SPREAD]: (spread) => (clientOnly(spread) ? null : undefined),
    [Kind.INLINE_FRAGMENT]: (fragment) => (clientOnly(fragment) ? null : undefined),
    [Kind.DIRECTIVE]: (directive) => (directive.name.value === CONNECTION_DIRECTIVE ? null : undefined),
  });
  return printExecutableGraphQLDocument(sanitised);
}

/** SHA-256 of a body, hex: a document's id. */
export const documentHash = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

const HEX_ID = /^[0-9a-f]{64}$/;

/**
 * The SHA-256 hex of a document id as clients send it: `sha256:<hex>` (GraphQL over HTTP's
 * persisted documents; codegen's client preset) or the bare hex (Apollo's `persistedQuery`
 * extension, the manifest's `id`). Null when it is neither.
 */
export function parseDocumentId(id: string): string | null {
  const hex = (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id).toLowerCase();
  return HEX_ID.test(hex) ? hex : null;
}

/** The one operation of a document with its name and kind; throws when there is not exactly one, named. */
export function soleOperation(document: DocumentNode): OperationDefinitionNode & { name: { value: string } } {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation) throw new Error(`a trusted document has exactly one operation (this one has ${operations.length})`);
  if (!operation.name) throw new Error("a trusted document's operation needs a name");
  return operation as OperationDefinitionNode & { name: { value: string } };
}

/** An operation with every fragment it uses (recursively) from `fragments`, as one document. */
export function withFragments(operation: DocumentNode, fragments: readonly FragmentDefinitionNode[]): DocumentNode {
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DocumentNode | FragmentDefinitionNode) =>
    visit(node, {
      [Kind.FRAGMENT_SPREAD](spread) {
        const name = spread.name.value;
        const fragment = byName.get(name);
        if (!fragment) {
          if (!operation.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name)) throw new Error(`unknown fragment ${name}`);
          return;
        }
        if (used.has(name)) return;
        used.set(name, fragment);
        collect(fragment);
      },
    });
  collect(operation);
  return { ...operation, definitions: [...operation.definitions, ...used.values()] };
}

/** A manifest entry for a document: its normalised body, id, name and kind. */
export function manifestOperation(document: string | DocumentNode): ManifestOperation {
  const node = typeof document === 'string' ? parse(document, { noLocation: true }) : document;
  const operation = soleOperation(node);
  const body = normaliseDocument(node);
  return { id: documentHash(body), name: operation.name.value, type: operation.operation, body };
}

export function buildManifest(operations: readonly ManifestOperation[]): PersistedQueryManifest {
  return { format: MANIFEST_FORMAT, version: 1, operations: [...operations].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)) };
}
