import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { intFromEnv, redactUrl, sendJson, type Logger, type Principal, type Route } from '@nimo/kit';
import type { GatewayContext } from './context';

/**
 * Rate limits and quotas per caller (rate-limiter-flexible): in every window of
 * `RATE_LIMIT_WINDOW_SECONDS` (60) a caller may send `RATE_LIMIT_REQUESTS` requests (600) and spend
 * `RATE_LIMIT_COST` points of query cost (300,000). The cost of an operation is graphql-armor's, the
 * same measure as the per-operation limit `MAX_COST` (limits.ts): the national overview costs about
 * 1,150, a page of 500 organisations about 28,600. `0` turns a limit off.
 *
 * A caller is its API key (`apikey:<key id>`), else its token's role and subject, else — the public —
 * its network address (`X-Forwarded-For`'s last hop when `RATE_LIMIT_TRUST_PROXY=1`, for a gateway
 * behind one proxy). A request over a limit is answered 429 with `Retry-After` (seconds) and nothing
 * runs; every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` for the
 * request limit.
 *
 * The counters live in the gateway's memory, or in Redis when `REDIS_URL` is set, shared by every
 * gateway replica (keys under `RATE_LIMIT_PREFIX`, default `nimo-rl`). When Redis cannot be
 * reached, each gateway falls back to its own memory counters (rate-limiter-flexible's insurance
 * limiter) rather than refusing or letting everything through. A gateway with several workers
 * (`GATEWAY_WORKERS`, workers.ts) keeps its memory counters in the cluster's primary
 * (rate-limiter-flexible's cluster limiter, over the workers' IPC channel), so a caller's limit is
 * the gateway's however its connections are spread over the workers; without Redis, each replica
 * (pod, container) still counts on its own.
 */
export interface RateLimitSettings {
  readonly windowSeconds: number;
  /** Requests per caller per window; 0: no limit. */
  readonly requests: number;
  /** Query cost points per caller per window; 0: no limit. */
  readonly cost: number;
  /** Redis connection for limits shared by replicas; null: this gateway's memory. */
  readonly redisUrl: string | null;
  /** Key prefix in Redis. */
  readonly prefix: string;
  /** Use the last `X-Forwarded-For` hop as the public caller's address. */
  readonly trustProxy: boolean;
}

export function rateLimitSettingsFromEnv(): RateLimitSettings {
  const windowSeconds = intFromEnv('RATE_LIMIT_WINDOW_SECONDS', 60);
  if (windowSeconds < 1) throw new Error('RATE_LIMIT_WINDOW_SECONDS must be at least 1');
  return {
    windowSeconds,
    requests: intFromEnv('RATE_LIMIT_REQUESTS', 600),
    cost: intFromEnv('RATE_LIMIT_COST', 300_000),
    redisUrl: process.env.REDIS_URL || null,
    prefix: process.env.RATE_LIMIT_PREFIX || 'nimo-rl',
    trustProxy: process.env.RATE_LIMIT_TRUST_PROXY === '1',
  };
}

/** The caller a limit counts for (see above). */
export function callerKey(principal: Principal | null, req: IncomingMessage, trustProxy: boolean): string {
  if (principal && principal.role !== 'public') {
    return principal.subject.startsWith('apikey:') ? principal.subject : `${principal.role}:${principal.subject}`;
  }
  const forwarded = trustProxy
    ? String(req.headers['x-forwarded-for'] ?? '')
        .split(',')
        .pop()
        ?.trim()
    : '';
  return `ip:${forwarded || req.socket.remoteAddress || 'unknown'}`;
}

/** A refusal: how long until the caller may try again. */
export class RateLimited extends GraphQLError {
  constructor(
    what: string,
    limit: number,
    windowSeconds: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Rate limit reached: at most ${limit} ${what} per ${windowSeconds} s for this caller. Retry after ${retryAfterSeconds} s.`, {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfter: retryAfterSeconds,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
      },
    });
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RateLimits {
  private constructor(
    readonly settings: RateLimitSettings,
    private readonly requestLimiter: RateLimiterAbstract | null,
    private readonly costLimiter: RateLimiterAbstract | null,
    private readonly redis: Redis | null,
  ) {}

  static async create(settings: RateLimitSettings, logger?: Logger): Promise<RateLimits> {
    let redis: Redis | null = null;
    if (settings.redisUrl && (settings.requests > 0 || settings.cost > 0)) {
      // Loaded only when asked for: the embedded default needs no Redis.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, only with REDIS_URL
      const { Redis: IORedis } = require('ioredis') as typeof import('ioredis');
      // No offline queue: while Redis is away a command fails at once and the memory limiter answers.
      const client = new IORedis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      client.on('error', (error: Error) => logger?.warn({ err: error.message }, "rate limits: Redis is unreachable; counting in this gateway's memory"));
      await new Promise<void>((resolve) => {
        client.once('ready', () => resolve());
        setTimeout(resolve, 2000).unref();
      });
      logger?.info({ redis: redactUrl(settings.redisUrl), ready: client.status === 'ready' }, 'rate limits shared through Redis');
      redis = client;
    }
    const limiter = (name: string, points: number): RateLimiterAbstract | null => {
      if (points <= 0) return null;
      const options = { keyPrefix: `${settings.prefix}:${name}`, points, duration: settings.windowSeconds };
      // In a worker of a gateway cluster the counters are the primary's (workers.ts).
      const memory = cluster.isWorker ? new RateLimiterCluster({ ...options, timeoutMs: 2000 }) : new RateLimiterMemory(options);
      return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
    };
    return new RateLimits(settings, limiter('requests', settings.requests), limiter('cost', settings.cost), redis);
  }

  /** Counts one request; throws RateLimited when over. Returns the request limit's state (null when off). */
  async takeRequest(caller: string): Promise<RateLimiterRes | null> {
    return this.take(this.requestLimiter, caller, 1, 'requests', this.settings.requests);
  }

  /**
   * Spends an operation's cost; throws RateLimited when over. A refused operation does not run, so
   * its cost is given back (rate-limiter-flexible counts a refused consumption): what is left of
   * the quota stays usable by cheaper operations.
   */
  async takeCost(caller: string, cost: number): Promise<void> {
    const points = Math.ceil(cost);
    if (points <= 0 || !this.costLimiter) return;
    try {
      await this.take(this.costLimiter, caller, points, 'query cost points', this.settings.cost);
    } catch (error) {
      if (error instanceof RateLimited) await this.costLimiter.reward(caller, points).catch(() => undefined);
      throw error;
    }
  }

  private async take(limiter: RateLimiterAbstract | null, caller: string, points: number, what: string, limit: number): Promise<RateLimiterRes | null> {
    if (!limiter) return null;
    try {
      return await limiter.consume(caller, points);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) throw new RateLimited(what, limit, this.settings.windowSeconds, seconds(refusal.msBeforeNext));
      throw refusal;
    }
  }

  async close(): Promise<void> {
    if (this.redis) {
      await this.redis.quit().catch(() => this.redis?.disconnect());
    }
  }
}

/**
 * The request limit, before GraphQL: every `/graphql` request counts (a cached answer too), and one
 * over the limit is answered 429 before its body is read. The caller comes from the verified
 * credentials (remembered in `verified` for the request's context); a request whose credentials
 * fail counts for its address and goes on to be refused with 401.
 */
export function rateLimitRoute(
  limits: RateLimits,
  authenticate: (req: IncomingMessage) => Promise<Principal>,
  verified: WeakMap<IncomingMessage, Principal>,
  callers: WeakMap<IncomingMessage, string>,
): Route {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/graphql') return false;
    let principal: Principal | null = verified.get(req) ?? null;
    if (!principal) {
      try {
        principal = await authenticate(req);
        verified.set(req, principal);
      } catch {
        principal = null;
      }
    }
    const caller = callerKey(principal, req, limits.settings.trustProxy);
    callers.set(req, caller);
    try {
      const state = await limits.takeRequest(caller);
      if (state) {
        res.setHeader('ratelimit-limit', String(limits.settings.requests));
        res.setHeader('ratelimit-remaining', String(Math.max(0, state.remainingPoints)));
        res.setHeader('ratelimit-reset', String(seconds(state.msBeforeNext)));
      }
      return false;
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
      sendJson(
        res,
        429,
        { errors: [{ message: error.message, extensions: { code: 'RATE_LIMITED', retryAfter: error.retryAfterSeconds } }] },
        {
          'retry-after': String(error.retryAfterSeconds),
          'ratelimit-limit': String(limits.settings.requests),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(error.retryAfterSeconds),
        },
      );
      return true;
    }
  };
}

/**
 * The cost quota, once the operation is known: graphql-armor's cost of the operation (recorded by
 * its cost-limit rule while validating, see limits.ts) is spent from the caller's budget; over it,
 * 429 with Retry-After and nothing runs.
 */
export function costQuotaPlugin(limits: RateLimits, costOf: (document: DocumentNode) => number | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const caller = contextValue.rateLimitCaller;
          if (caller === undefined) return;
          await limits.takeCost(caller, costOf(document) ?? 0);
        },
      };
    },
  };
}
