import type http from 'node:http';
import type { Flights } from './flights';

/** The keys of a request whose answer may be reused. */
export interface AnswerKeys {
  /** Who asks (their identity and rights) and the request: the response cache's key. */
  readonly own: string;
  /**
   * What they may see (their rights, not who they are) and the request: identical requests in flight
   * under this key wait for one answer, which is given to them when it did not depend on who asked
   * (see RequestRecord.personal) and had no errors but refusals that follow from the rights
   * (ERRORS_OF_RIGHTS: FORBIDDEN); otherwise each runs on its own.
   */
  readonly shared: string;
}

/**
 * How the HTTP front reuses whole answers. The caller decides which requests may reuse one and
 * under which keys (the gateway: reads only; see {@link AnswerKeys}):
 * - `flights`: identical requests arriving while one is being answered (in this process, or in any
 *   worker of a cluster: see flights.ts) wait for that answer instead of running again (request
 *   collapsing; nothing is kept once it is sent); null: none wait;
 * - `cacheBytes`: answers are also kept, as the bytes sent, for as long as their own
 *   `Cache-Control: max-age` says (see {@link BodyCache}); 0 keeps none.
 */
export interface AnswerReuseOptions {
  /** The keys of a request (its parsed JSON body, its query string), or null when its answer must not be reused. */
  keys(req: http.IncomingMessage, body: Readonly<Record<string, unknown>>, search: string): Promise<AnswerKeys | null>;
  readonly flights: Flights | null;
  /** Bytes kept at most by the cache (least recently used answers go first); 0: no cache. */
  readonly cacheBytes: number;
}

/**
 * A cache of whole HTTP answers, kept as the bytes sent: a hit costs no parsing and no
 * serialisation. An answer is kept only for as long as its own `Cache-Control: max-age` says, and
 * never when that header is absent, `no-store` or 0.
 */
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
