import type { AppConfig } from '../config/config';
import { RateLimiter } from './rate-limit';

describe('counting requests in the process', () => {
  const limiter = new RateLimiter({ rateLimitPerMinute: 2, redisKeyPrefix: 'unused:' } as AppConfig);
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-12-01T09:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('refuses beyond the limit until the minute that began with the first request is over', async () => {
    expect(await limiter.hit('user:a', 1)).toEqual({ allowed: true, retryAfterSeconds: 60 });
    jest.advanceTimersByTime(20_000);
    expect(await limiter.hit('user:a', 1)).toEqual({ allowed: true, retryAfterSeconds: 40 });
    expect(await limiter.hit('user:a', 1)).toEqual({ allowed: false, retryAfterSeconds: 40 });
    jest.advanceTimersByTime(39_500);
    expect(await limiter.hit('user:a', 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    jest.advanceTimersByTime(500);
    expect(await limiter.hit('user:a', 1)).toEqual({ allowed: true, retryAfterSeconds: 60 });
  });

  it('counts a request by its weight, and each key on its own', async () => {
    expect((await limiter.hit('user:b', 3)).allowed).toBe(false);
    expect((await limiter.hit('user:c', 2)).allowed).toBe(true);
  });
});
