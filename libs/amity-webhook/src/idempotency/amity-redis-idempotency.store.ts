import type { AmityIdempotencyStore } from './amity-idempotency.store.js';

/**
 * The part of a Redis client the store uses: ioredis' `set(key, value, 'PX', ttl, 'NX')`.
 * An ioredis `Redis` or `Cluster` instance fits as is.
 */
export interface AmityRedisClientLike {
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<unknown>;
}

/**
 * Idempotency window shared by every instance of the app, in Redis: one `SET key 1 PX ttl NX` per
 * delivery. Create the client yourself (it is yours to configure and close).
 *
 * @example
 * new AmityRedisIdempotencyStore(new Redis(process.env.REDIS_URL))
 */
export class AmityRedisIdempotencyStore implements AmityIdempotencyStore {
  /** @param prefix namespaces the keys (default `amity-webhook:delivery:`) */
  constructor(
    private readonly client: AmityRedisClientLike,
    private readonly prefix = 'amity-webhook:delivery:',
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const result = await this.client.set(this.prefix + key, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return result === 'OK';
  }
}
