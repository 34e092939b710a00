import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config.js';
import type { Logger } from '../logger.js';

/** The quotas a request may be charged to; each is also its policy's name in the headers. */
export type Quota = 'anonymous' | 'key' | 'auth-failures';

/** Every limit is a number of requests per this many seconds (a fixed window). */
export const WINDOW_SECONDS = 60;

/** Where one quota stands for one caller after a request was counted (or looked at). */
export interface QuotaState {
  quota: Quota;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the quota is whole again. */
  resetSeconds: number;
  exceeded: boolean;
}

/** Where the counts are kept: shared in Redis, or in this instance's memory. */
export type RateLimitStore = 'off' | 'memory' | 'redis' | 'memory (redis unreachable)';

const QUOTA_SETTINGS: Record<Quota, keyof RateLimitSettings> = {
  anonymous: 'anonymous',
  key: 'key',
  'auth-failures': 'authFailures',
};

export interface RateLimitOptions {
  settings: RateLimitSettings;
  /** Counts are shared through this Redis by every instance; per instance in memory without it. */
  redisUrl?: string;
  /** Prefix of every Redis key, so deployments may share one Redis. */
  redisKeyPrefix?: string;
  logger: Logger;
}

/**
 * Request quotas per client address, per API key, and of failed authentications per address,
 * counted by rate-limiter-flexible in fixed one-minute windows.
 *
 * With Redis, every instance counts in the same place, so N instances allow what one would.
 * Each Redis limiter carries an in-memory twin as its insurance: while Redis is unreachable,
 * counting goes on per instance (a limit is then enforced by each instance on its own), the
 * change is logged and shown on /readyz, and Redis is used again as soon as it answers, which
 * ioredis keeps trying. A command never waits long for a Redis that does not answer.
 */
export class RateLimits {
  private readonly limiters = new Map<Quota, { limiter: RateLimiterAbstract; limit: number }>();
  private readonly redis: Redis | undefined;
  private redisReachable = false;

  constructor(options: RateLimitOptions) {
    const { settings, redisUrl, redisKeyPrefix = 'lockstep', logger } = options;
    this.redis =
      redisUrl && Object.values(settings).some((limit) => limit !== null)
        ? new Redis(redisUrl, {
            // Fail at once while disconnected (the insurance limiter answers), never queue.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            commandTimeout: 500,
            connectTimeout: 2_000,
            // Keep trying, at most every 2 s: the shared counts come back as soon as Redis does.
            retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
          })
        : undefined;
    if (this.redis) this.watchRedis(this.redis, logger);
    for (const [quota, setting] of Object.entries(QUOTA_SETTINGS) as Array<[Quota, keyof RateLimitSettings]>) {
      const limit = settings[setting];
      if (limit === null) continue;
      const shape = { points: limit, duration: WINDOW_SECONDS };
      const limiter = this.redis
        ? new RateLimiterRedis({
            ...shape,
            storeClient: this.redis,
            keyPrefix: `${redisKeyPrefix}:rate:${quota}`,
            insuranceLimiter: new RateLimiterMemory(shape),
          })
        : new RateLimiterMemory(shape);
      this.limiters.set(quota, { limiter, limit });
    }
  }

  private watchRedis(redis: Redis, logger: Logger): void {
    let announced: 'up' | 'down' | undefined;
    redis.on('ready', () => {
      this.redisReachable = true;
      if (announced === 'down') logger.info('rate limits: Redis reachable again, counting shared across instances');
      announced = 'up';
    });
    const down = (error?: Error) => {
      this.redisReachable = false;
      if (announced !== 'down') {
        logger.warn({ err: error }, 'rate limits: Redis unreachable, counting per instance in memory until it is back');
      }
      announced = 'down';
    };
    redis.on('error', down);
    redis.on('close', () => down());
  }

  /** Counts one request against `quota` for `id`; undefined when that quota is off. */
  async charge(quota: Quota, id: string): Promise<QuotaState | undefined> {
    const entry = this.limiters.get(quota);
    if (!entry) return undefined;
    try {
      return stateOf(quota, entry.limit, await entry.limiter.consume(id), false);
    } catch (refusal) {
      // rate-limiter-flexible rejects with the counter's state when the quota is used up.
      if (refusal instanceof RateLimiterRes) return stateOf(quota, entry.limit, refusal, true);
      throw refusal;
    }
  }

  /** Where `quota` stands for `id`, without counting anything; undefined when that quota is off. */
  async peek(quota: Quota, id: string): Promise<QuotaState | undefined> {
    const entry = this.limiters.get(quota);
    if (!entry) return undefined;
    const counter = await entry.limiter.get(id);
    if (!counter)
      return { quota, limit: entry.limit, remaining: entry.limit, resetSeconds: WINDOW_SECONDS, exceeded: false };
    return stateOf(quota, entry.limit, counter, counter.consumedPoints >= entry.limit);
  }

  /** Where the counts live right now, for /readyz. */
  store(): RateLimitStore {
    if (this.limiters.size === 0) return 'off';
    if (!this.redis) return 'memory';
    return this.redisReachable ? 'redis' : 'memory (redis unreachable)';
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    this.redis.removeAllListeners('close');
    this.redis.removeAllListeners('error');
    // Errors of a connection being closed are of no interest any more.
    this.redis.on('error', () => {});
    this.redis.disconnect();
  }
}

function stateOf(quota: Quota, limit: number, counter: RateLimiterRes, exceeded: boolean): QuotaState {
  return {
    quota,
    limit,
    remaining: Math.max(0, counter.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(counter.msBeforeNext / 1000)),
    exceeded,
  };
}

/**
 * The fields of the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers-09, §3 and §4): the policy (quota `q` per window `w`
 * seconds) and where it stands (remaining `r`, seconds to reset `t`), both as Structured Fields
 * lists naming the policy. A refusal adds `Retry-After` (RFC 9110 §10.2.3).
 */
export function rateLimitHeaders(state: QuotaState): Record<string, string> {
  const name = `"${state.quota}"`;
  return {
    'RateLimit-Policy': `${name};q=${state.limit};w=${WINDOW_SECONDS}`,
    RateLimit: `${name};r=${state.remaining};t=${state.resetSeconds}`,
    ...(state.exceeded ? { 'Retry-After': String(state.resetSeconds) } : {}),
  };
}
