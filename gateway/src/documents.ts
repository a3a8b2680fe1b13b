import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import { isProduction, ROLES, type Role } from '@nimo/kit';
import { dashboardManifest, documentHash, normaliseDocument, parseDocumentId, type PersistedQueryManifest } from '@nimo/schema';
import type { GatewayContext } from './context';
import type { VendorDocuments } from './vendor-documents';

/**
 * The gateway's trusted documents and its safelist.
 *
 * Trusted documents are the hub's own operations (`schema/operations/`, published as Apollo's
 * persisted query manifest, `GET /persisted-query-manifest.json`) and the vendors' documents an
 * operator approved (vendor-documents.ts). A client sends one by id instead of its text:
 * - `documentId: "sha256:<hex>"` (GraphQL over HTTP's persisted documents; GraphQL Code Generator's
 *   client preset), in a POST body or as a GET parameter, or
 * - `extensions.persistedQuery.sha256Hash: "<hex>"` (Apollo's clients).
 * An unknown id is refused with PERSISTED_QUERY_NOT_FOUND. Nothing is registered on the fly: the
 * automatic persisted queries of Apollo (a client sending a new hash with its text) store nothing.
 *
 * The safelist: callers of the roles in `SAFELIST_ROLES` may run trusted documents only — by id, or
 * by sending the text of one (any formatting; compared by its normalised form). Anything else is
 * refused with PERSISTED_QUERY_NOT_IN_LIST (403) before it runs. Unset, production safelists
 * `vendor` and `public` callers and development none; staff roles may send ad hoc queries unless
 * listed. `SAFELIST_ROLES=all` or `none` are accepted too.
 */
export const SAFELIST_ROLES_DEFAULT: readonly Role[] = ['vendor', 'public'];

export function safelistRolesFromEnv(value = process.env.SAFELIST_ROLES): ReadonlySet<Role> {
  if (value === undefined || value.trim() === '') return new Set(isProduction() ? SAFELIST_ROLES_DEFAULT : []);
  const text = value.trim().toLowerCase();
  if (text === 'none') return new Set();
  const all: readonly Role[] = [...ROLES, 'public'];
  if (text === 'all') return new Set(all);
  const roles = text.split(',').map((r) => r.trim()).filter((r) => r !== '');
  for (const role of roles) {
    if (!(all as readonly string[]).includes(role)) throw new Error(`SAFELIST_ROLES: unknown role "${role}" (roles: ${all.join(', ')}; or all, none)`);
  }
  return new Set(roles as Role[]);
}

export interface TrustedDocumentsOptions {
  readonly manifest?: PersistedQueryManifest;
  /** Approved vendor documents; null without a gateway database. */
  readonly vendors?: VendorDocuments | null;
  /** How long a vendor document's look-up (found or not) is remembered, ms: an approval or revocation shows within it. */
  readonly cacheMs?: number;
}

/**
 * The store behind Apollo's persisted queries: `get` answers trusted documents by id; `set` (Apollo's
 * registration of a new hash) stores nothing.
 */
export class TrustedDocuments implements KeyValueCache<string> {
  readonly manifest: PersistedQueryManifest;
  private readonly hub: ReadonlyMap<string, string>;
  private readonly vendors: VendorDocuments | null;
  private readonly cacheMs: number;
  private readonly remembered = new Map<string, string | null>();
  private readonly expiry = new Map<string, number>();

  constructor(options: TrustedDocumentsOptions = {}) {
    this.manifest = options.manifest ?? dashboardManifest();
    this.hub = new Map(this.manifest.operations.map((o) => [o.id, o.body]));
    this.vendors = options.vendors ?? null;
    this.cacheMs = options.cacheMs ?? 10_000;
  }

  /** The body of the trusted document with this id (hex, `sha256:<hex>`, or Apollo's `apq:<hex>` key). */
  async get(key: string): Promise<string | undefined> {
    const hex = parseDocumentId(key.startsWith('apq:') ? key.slice(4) : key);
    if (hex === null) return undefined;
    const hub = this.hub.get(hex);
    if (hub !== undefined) return hub;
    if (!this.vendors) return undefined;
    const now = Date.now();
    if ((this.expiry.get(hex) ?? 0) > now) return this.remembered.get(hex) ?? undefined;
    const found = await this.vendors.approved(hex);
    if (this.remembered.size >= 10_000) {
      this.remembered.clear();
      this.expiry.clear();
    }
    this.remembered.set(hex, found ? found.body : null);
    this.expiry.set(hex, now + this.cacheMs);
    return found?.body;
  }

  /** Whether a document (as parsed from a client's text) is a trusted one. */
  async trusts(document: DocumentNode): Promise<boolean> {
    return (await this.get(documentHash(normaliseDocument(document)))) !== undefined;
  }

  /** Apollo's automatic persisted queries would register the hash of any text here: nothing is stored. */
  async set(): Promise<void> {}

  async delete(): Promise<boolean> {
    return false;
  }
}

/** `documentId` of a request: the POST body's field or the GET parameter. */
function documentIdOf(http: { method: string; body: unknown; search: string } | undefined): string | undefined {
  if (!http) return undefined;
  if (http.method === 'GET') return new URLSearchParams(http.search).get('documentId') ?? undefined;
  const body = http.body as Record<string, unknown> | null;
  return typeof body === 'object' && body !== null && typeof body.documentId === 'string' ? body.documentId : undefined;
}

/**
 * Trusted documents by `documentId` and the safelist (see above). A `documentId` is handed to
 * Apollo as the persisted-query extension, so one path looks every id up (TrustedDocuments.get).
 */
export function trustedDocumentsPlugin(documents: TrustedDocuments, safelisted: ReadonlySet<Role>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const documentId = documentIdOf(request.http);
      if (documentId !== undefined) {
        request.extensions = { ...request.extensions, persistedQuery: { version: 1, sha256Hash: parseDocumentId(documentId) ?? documentId } };
      }
      return {
        async didResolveOperation({ document, contextValue, metrics }) {
          if (!safelisted.has(contextValue.principal.role)) return;
          // A document found by its id is trusted; a text is trusted when its normalised form is.
          if (metrics.persistedQueryHit || (await documents.trusts(document))) return;
          throw new GraphQLError(
            'This caller may run trusted documents only: send the documentId of an operation in the hub\'s manifest (GET /persisted-query-manifest.json) or of one of your documents an operator approved (see docs/vendors.md).',
            { extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 403 } } },
          );
        },
      };
    },
  };
}
