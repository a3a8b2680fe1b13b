import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { dashboardOperations } from '@nimo/schema/dist/operations';

/**
 * The persisted-query store of the gateway: the checked-in dashboard operations
 * (`schema/operations/`) are trusted documents, always known by their SHA-256, so a dashboard sends
 * `extensions.persistedQuery.sha256Hash` and no query text. Other documents a client registers
 * through automatic persisted queries are kept in a bounded in-memory cache.
 */
export class TrustedDocuments implements KeyValueCache<string> {
  private readonly trusted: ReadonlyMap<string, string>;
  private readonly registered = new InMemoryLRUCache<string>({ maxSize: 8 * 1024 * 1024 });

  constructor(operations = dashboardOperations()) {
    this.trusted = new Map(operations.map((o) => [o.sha256, o.document]));
  }

  /** Apollo Server asks with its own prefix (`apq:`) before the hash. */
  private static hash(key: string): string {
    return key.slice(key.lastIndexOf(':') + 1);
  }

  async get(key: string): Promise<string | undefined> {
    return this.trusted.get(TrustedDocuments.hash(key)) ?? this.registered.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    if (this.trusted.has(TrustedDocuments.hash(key))) return;
    await this.registered.set(key, value);
  }

  async delete(key: string): Promise<boolean | void> {
    if (this.trusted.has(TrustedDocuments.hash(key))) return false;
    return this.registered.delete(key);
  }
}
