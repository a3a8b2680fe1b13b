import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import { isProduction, ROLES, type Principal, type Role } from '@nimo/kit';
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
 * by sending the text of one (any formatting; compared by its normalised form): the hub's own, and a
 * vendor's approved documents with an API key of that vendor. Anything else is refused with
 * PERSISTED_QUERY_NOT_IN_LIST (403) before it runs. Unset, production safelists
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
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
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
  private readonly remembered = new Map<string, { body: string; vendor: string } | null>();
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
    return (await this.vendorDocument(hex))?.body;
  }

  /** An approved vendor document by id, remembered for `cacheMs` (found or not). */
  private async vendorDocument(hex: string): Promise<{ body: string; vendor: string } | null> {
    if (!this.vendors) return null;
    const now = Date.now();
    if ((this.expiry.get(hex) ?? 0) > now) return this.remembered.get(hex) ?? null;
    const found = await this.vendors.approved(hex);
    if (this.remembered.size >= 10_000) {
      this.remembered.clear();
      this.expiry.clear();
    }
    this.remembered.set(hex, found ? { body: found.body, vendor: found.vendor } : null);
    this.expiry.set(hex, now + this.cacheMs);
    return found ? { body: found.body, vendor: found.vendor } : null;
  }

  /**
   * Whether a safelisted caller may run a document (as parsed, whether it came by id or as text): one
   * of the hub's, or an approved document of the caller's own vendor (`vendor`: the name of the
   * caller's API key; null for a caller without one).
   */
  async mayRun(document: DocumentNode, vendor: string | null): Promise<boolean> {
    const hex = documentHash(normaliseDocument(document));
    if (this.hub.has(hex)) return true;
    const found = await this.vendorDocument(hex);
    return found !== null && vendor !== null && found.vendor === vendor;
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
export function trustedDocumentsPlugin(
  documents: TrustedDocuments,
  safelisted: ReadonlySet<Role>,
  /** The vendor an API key principal acts for (its key's name); null for any other principal. */
  vendorOf: (principal: Principal) => Promise<string | null> = async () => null,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const documentId = documentIdOf(request.http);
      if (documentId !== undefined) {
        request.extensions = { ...request.extensions, persistedQuery: { version: 1, sha256Hash: parseDocumentId(documentId) ?? documentId } };
      }
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!safelisted.has(contextValue.principal.role)) return;
          // By id or as text, the same check on the normalised document: the hub's, or the caller's vendor's.
          if (await documents.mayRun(document, await vendorOf(contextValue.principal))) return;
          throw new GraphQLError(
            "This caller may run trusted documents only: send the documentId of an operation in the hub's manifest (GET /persisted-query-manifest.json) or of one of your own documents an operator approved, with your API key (see docs/vendors.md).",
            { extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 403 } } },
          );
        },
      };
    },
  };
}
