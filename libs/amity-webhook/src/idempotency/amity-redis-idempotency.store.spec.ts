import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../../test/support/test-redis.js';
import { AmityRedisIdempotencyStore } from './amity-redis-idempotency.store.js';

// A real Redis, not a mock: REDIS_URL, or the redis-server the Jest global setup starts.

describe('AmityRedisIdempotencyStore (real Redis)', () => {
  let a: Redis;
  let b: Redis;
  const prefix = `amity-webhook-test:${randomUUID()}:`;

  beforeAll(async () => {
    const url = await testRedisUrl();
    a = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    b = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    await Promise.all([a.connect(), b.connect()]);
  });
  afterAll(async () => {
    if (!a) return;
    const keys = await a.keys(`${prefix}*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it('lets exactly one of two instances claim a delivery', async () => {
    const first = new AmityRedisIdempotencyStore(a, prefix);
    const second = new AmityRedisIdempotencyStore(b, prefix);
    const results = await Promise.all([first.claim('delivery-1', 60_000), second.claim('delivery-1', 60_000)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.pttl(`${prefix}delivery-1`)).toBeGreaterThan(59_000);
  });

  it('lets the key be claimed again after the window', async () => {
    const store = new AmityRedisIdempotencyStore(a, prefix);
    expect(await store.claim('short', 50)).toBe(true);
    expect(await store.claim('short', 50)).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.claim('short', 50)).toBe(true);
  });
});
