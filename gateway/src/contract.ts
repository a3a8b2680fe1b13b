import { createHash } from 'node:crypto';
import type { Route } from '@nimo/kit';
import { apiSchemaSdl, type PersistedQueryManifest } from '@nimo/schema';

/** The paths of the contract the gateway publishes to vendors. */
export const SCHEMA_PATH = '/schema.graphql';
export const MANIFEST_PATH = '/persisted-query-manifest.json';

/**
 * The contract, served by the gateway itself (introspection is closed to vendors in production):
 * `GET /schema.graphql`, the API schema this gateway serves (its supergraph with the federation
 * machinery removed, the same text as `schema/published/api.graphql` when the release is current),
 * and `GET /persisted-query-manifest.json`, the hub's trusted documents in Apollo's persisted query
 * manifest format. Both with an ETag, so a client's codegen can check cheaply for a change.
 */
export function contractRoute(supergraphSdl: string, manifest: PersistedQueryManifest): Route {
  const files = new Map<string, { type: string; body: string; etag: string }>();
  const add = (path: string, type: string, body: string) => files.set(path, { type, body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` });
  add(SCHEMA_PATH, 'application/graphql; charset=utf-8', apiSchemaSdl(supergraphSdl));
  add(MANIFEST_PATH, 'application/json; charset=utf-8', `${JSON.stringify(manifest, null, 2)}\n`);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file = files.get(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!file) return false;
    const headers = { 'content-type': file.type, etag: file.etag, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(file.body) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
