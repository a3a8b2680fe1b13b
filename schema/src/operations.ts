import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The dashboard operations checked in under `schema/operations/`: one named query per file, with
 * the fragments of `fragments.graphql` appended. The gateway serves them as trusted persisted
 * documents (a client sends only the SHA-256 hash); the schema tests validate them against the API;
 * the end-to-end tests and the benchmark run them.
 */
export const OPERATIONS_DIR = path.resolve(__dirname, '..', 'operations');
const FRAGMENTS = 'fragments.graphql';

export interface DashboardOperation {
  /** The operation's name (the file's name). */
  readonly name: string;
  /** The whole document: the query and the fragments it uses. */
  readonly document: string;
  /** SHA-256 of `document`, hex: the persisted-query hash a client sends. */
  readonly sha256: string;
}

export function dashboardOperations(dir = OPERATIONS_DIR): DashboardOperation[] {
  const fragments = fs.readFileSync(path.join(dir, FRAGMENTS), 'utf8');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql') && f !== FRAGMENTS)
    .sort()
    .map((file) => {
      const query = fs.readFileSync(path.join(dir, file), 'utf8');
      const used = fragments
        .split(/\n(?=fragment )/)
        .filter((f) => {
          const name = /^fragment (\w+)/m.exec(f)?.[1];
          return name !== undefined && query.includes(`...${name}`);
        })
        .join('\n');
      const document = `${query.trim()}\n\n${used.trim()}\n`;
      return { name: path.basename(file, '.graphql'), document, sha256: createHash('sha256').update(document).digest('hex') };
    });
}
