import { Redis } from 'ioredis';

/** The Redis of the test run (`REDIS_URL`, or the redis-server the Jest global setup started), checked to answer. */
export { testRedisUrl } from '../../libs/amity-webhook/test/support/test-redis.js';

/** Deletes every key of a queue prefix, so that a test leaves nothing in a shared Redis. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
