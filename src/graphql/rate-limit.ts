import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';

const WINDOW_MS = 60_000;

/** How a counted request stands: within the limit, or refused until its window ends. */
export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

interface WindowCount {
  count: number;
  resetInMs: number;
}

/**
 * Fixed windows in this process: a key's window starts with its first request and lasts a minute. Ended
 * windows are swept once a minute, so a stream of new client addresses cannot grow the map without bound.
 */
class LocalWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private sweepAt = 0;

  hit(key: string, weight: number, now = Date.now()): WindowCount {
    if (now >= this.sweepAt) {
      for (const [k, window] of this.windows) if (window.resetAt <= now) this.windows.delete(k);
      this.sweepAt = now + WINDOW_MS;
    }
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(key, window);
    }
    window.count += weight;
    return { count: window.count, resetInMs: window.resetAt - now };
  }
}

/**
 * The same window in Redis, in one atomic step: the first request of a window creates the key with its expiry;
 * later ones, refused ones included, add to it without extending it.
 */
const HIT_SCRIPT = `
redis.call('SET', KEYS[1], 0, 'PX', ARGV[2], 'NX')
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
return {count, redis.call('PTTL', KEYS[1])}`;

type RedisWithHit = Redis & { rateHit(key: string, weight: number, windowMs: number): Promise<[number, number]> };

/**
 * Counts GraphQL requests per person (or client address) per minute against RATE_LIMIT_PER_MINUTE. With
 * REDIS_URL every replica counts in the same Redis keys; without it, or while Redis does not answer, each process
 * counts on its own, so the limit still holds per process rather than failing open or refusing everyone.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('RateLimit');
  private readonly local = new LocalWindows();
  private readonly redis?: RedisWithHit;
  private redisFailing = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.redisUrl && this.enabled) {
      this.redis = new Redis(config.redisUrl, {
        lazyConnect: true,
        // A request must not wait for Redis to come back: while it is away, counting falls back to this process.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: 1000,
        // Shutting down while Redis is away must not wait out ioredis's default two seconds for a dead socket.
        disconnectTimeout: 100,
        keyPrefix: config.redisKeyPrefix,
      }) as RedisWithHit;
      this.redis.defineCommand('rateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    }
  }

  get enabled(): boolean {
    return this.config.rateLimitPerMinute > 0;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    // ioredis reconnects by itself; its errors are reported once per outage, by the requests that meet it.
    this.redis.on('error', () => undefined);
    await this.redis.connect().catch((error: unknown) => this.redisFailed(error));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis?.status === 'ready') await this.redis.quit();
    else this.redis?.disconnect();
  }

  /** Counts a request of `weight` for `key` and says whether it is within the limit. */
  async hit(key: string, weight: number): Promise<RateDecision> {
    const { count, resetInMs } = await this.count(`rate:${key}`, weight);
    return {
      allowed: count <= this.config.rateLimitPerMinute,
      retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)),
    };
  }

  private async count(key: string, weight: number): Promise<WindowCount> {
    if (this.redis) {
      try {
        const [count, resetInMs] = await this.redis.rateHit(key, weight, WINDOW_MS);
        if (this.redisFailing) this.log.log('Redis answers again: requests are counted across replicas');
        this.redisFailing = false;
        return { count, resetInMs };
      } catch (error) {
        this.redisFailed(error);
      }
    }
    return this.local.hit(key, weight);
  }

  private redisFailed(error: unknown): void {
    if (this.redisFailing) return;
    this.redisFailing = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.log.warn(`Redis does not answer (${reason}): requests are counted in this process until it does`);
  }
}
