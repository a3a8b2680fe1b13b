import type http from 'node:http';

/**
 * A cache of whole HTTP answers, kept as the bytes sent: a hit costs no parsing and no
 * serialisation. The caller decides what may be cached and under which key (the gateway: the
 * verified principal and the request); an answer is kept only for as long as its own
 * `Cache-Control: max-age` says, and never when that header is absent, `no-store` or 0.
 */
export interface ResponseCacheOptions {
  /** The cache key of a request, or null when it must not be cached. */
  key(req: http.IncomingMessage, body: string, search: string): Promise<string | null>;
  /** Bytes kept at most (least recently used answers go first). */
  readonly maxBytes?: number;
}

export interface CachedAnswer {
  readonly status: number;
  readonly headers: readonly [string, string][];
  readonly body: string;
}

interface Entry extends CachedAnswer {
  readonly expires: number;
  readonly bytes: number;
}

export class BodyCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string, now = Date.now()): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry); // most recently used last
    return entry;
  }

  /** Keeps an answer if its Cache-Control allows; returns whether it did. */
  offer(key: string, answer: CachedAnswer, now = Date.now()): boolean {
    const cacheControl = answer.headers.find(([name]) => name.toLowerCase() === 'cache-control')?.[1] ?? '';
    const maxAge = Number(/(?:^|[,\s])max-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
    if (answer.status !== 200 || maxAge <= 0 || /no-store/.test(cacheControl)) return false;
    const bytes = Buffer.byteLength(answer.body) + key.length;
    if (bytes > this.maxBytes / 4) return false;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { ...answer, expires: now + maxAge * 1000, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return true;
  }
}
