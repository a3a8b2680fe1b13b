import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type FragmentDefinitionNode } from 'graphql';
import { buildManifest, manifestOperation, withFragments, type PersistedQueryManifest } from './documents';

/**
 * The dashboard operations checked in under `schema/operations/`: one named query per file; the
 * shared fragments of `fragments.graphql` it uses (recursively) are added. Each is a trusted
 * document in the standard form (documents.ts): the gateway knows it by its id, which is what
 * GraphQL Code Generator's client preset computes for it, and `npm run compose` publishes them all
 * in Apollo's persisted query manifest format (`schema/published/persisted-query-manifest.json`,
 * served by the gateway at `/persisted-query-manifest.json`). The schema tests validate them
 * against the API; the end-to-end tests and the benchmark run them.
 */
export const OPERATIONS_DIR = path.resolve(__dirname, '..', 'operations');
export const MANIFEST_FILE = path.resolve(__dirname, '..', 'published', 'persisted-query-manifest.json');
const FRAGMENTS = 'fragments.graphql';

export interface DashboardOperation {
  /** The operation's name (the file's name). */
  readonly name: string;
  /** The whole document, normalised: the query and the fragments it uses. */
  readonly document: string;
  /** SHA-256 of `document`, hex: the id a client sends (`documentId: "sha256:<hex>"` or the persistedQuery extension). */
  readonly sha256: string;
}

export function dashboardOperations(dir = OPERATIONS_DIR): DashboardOperation[] {
  const fragments = parse(fs.readFileSync(path.join(dir, FRAGMENTS), 'utf8')).definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql') && f !== FRAGMENTS)
    .sort()
    .map((file) => {
      const name = path.basename(file, '.graphql');
      const operation = manifestOperation(withFragments(parse(fs.readFileSync(path.join(dir, file), 'utf8'), { noLocation: true }), fragments));
      if (operation.name !== name) throw new Error(`${file} must hold the operation ${name} (it holds ${operation.name})`);
      return { name, document: operation.body, sha256: operation.id };
    });
}

/** The hub's own trusted documents in Apollo's persisted query manifest format. */
export function dashboardManifest(dir = OPERATIONS_DIR): PersistedQueryManifest {
  return buildManifest(dashboardOperations(dir).map((o) => manifestOperation(o.document)));
}

/** The manifest file's text (what `npm run compose` writes and the schema test compares). */
export const manifestText = (manifest: PersistedQueryManifest = dashboardManifest()): string => `${JSON.stringify(manifest, null, 2)}\n`;
