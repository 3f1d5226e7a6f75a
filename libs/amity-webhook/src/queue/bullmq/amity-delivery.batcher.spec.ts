import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { startRedisServer, type RedisServerHandle } from '../../../test/support/redis-server.js';
import { testRedisUrl } from '../../../test/support/test-redis.js';
import { dropPrefix } from '../../../test/durable/durable.helpers.js';
import { AMITY_BULLMQ_QUEUE_NAME, type AmityDeliveryJobData } from './amity-bullmq.jobs.js';
import { AmityDeliveryBatcher } from './amity-delivery.batcher.js';

// A real Redis (REDIS_URL, or the redis-server the Jest global setup starts), and a private one to freeze.

const data = (n: number): AmityDeliveryJobData => ({
  id: `delivery-${n}`,
  body: Buffer.from(JSON.stringify({ event: 'message.didCreate', data: { n } })).toString('base64'),
  receivedAt: Date.now(),
  webhook: { index: 0, label: 'webhook-0' },
});
const opts = (d: AmityDeliveryJobData) => ({ jobId: `${d.id}.${randomUUID()}`, deduplication: { id: d.id, ttl: 60_000 } });

describe('AmityDeliveryBatcher (real Redis)', () => {
  let url: string;
  const queues: Queue[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    url = await testRedisUrl();
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    await Promise.all(prefixes.splice(0).map((prefix) => dropPrefix(url, prefix)));
  });

  function openQueue(connection = url): Queue {
    const prefix = `amity-batcher-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const { hostname, port } = new URL(connection);
    const queue = new Queue(AMITY_BULLMQ_QUEUE_NAME, { connection: { host: hostname, port: Number(port), enableOfflineQueue: false }, prefix });
    queues.push(queue);
    return queue;
  }

  it('stores the adds of one turn (four or more) in one addBulk and tells each caller its own outcome', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const addBulk = jest.spyOn(queue, 'addBulk');
    const add = jest.spyOn(queue, 'add');
    const stored: number[] = [];
    const batcher = new AmityDeliveryBatcher(queue, 1_000, (ms) => stored.push(ms));
    const [a, b, c] = [data(1), data(2), data(10)];

    // The second copy of `a` meets the deduplication key the first one set in the same pipeline.
    const outcomes = await Promise.all([batcher.add(a, opts(a)), batcher.add(b, opts(b)), batcher.add(c, opts(c)), batcher.add(a, opts(a))]);

    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted', 'duplicate']);
    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(add).not.toHaveBeenCalled();
    expect(stored).toHaveLength(1);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => (job.data as AmityDeliveryJobData).id).sort()).toEqual(['delivery-1', 'delivery-10', 'delivery-2']);
  });

  it('stores a smaller batch with plain adds, each caller told its own outcome, and a later turn gets a batch of its own', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const addBulk = jest.spyOn(queue, 'addBulk');
    const add = jest.spyOn(queue, 'add');
    const stored: number[] = [];
    const batcher = new AmityDeliveryBatcher(queue, 1_000, (ms) => stored.push(ms));
    const [a, b] = [data(3), data(11)];

    await expect(Promise.all([batcher.add(a, opts(a)), batcher.add(b, opts(b)), batcher.add(a, opts(a))])).resolves.toEqual([
      'accepted',
      'accepted',
      'duplicate',
    ]);
    await expect(batcher.add(a, opts(a))).resolves.toBe('duplicate');
    expect(add).toHaveBeenCalledTimes(4);
    expect(addBulk).not.toHaveBeenCalled();
    expect(stored).toHaveLength(2);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => (job.data as AmityDeliveryJobData).id).sort()).toEqual(['delivery-11', 'delivery-3']);
  });

  it('settled() sends what is pending at once and resolves when Redis has answered for it', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const batcher = new AmityDeliveryBatcher(queue, 1_000);
    const a = data(50);
    const added = batcher.add(a, opts(a));

    await batcher.settled();

    // Had settled() left the batch to the end of this turn, this count would reach Redis first.
    expect(await queue.getWaitingCount()).toBe(1);
    await expect(added).resolves.toBe('accepted');
  });

  it('splits a turn with more adds than one batch holds', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const addBulk = jest.spyOn(queue, 'addBulk');
    const batcher = new AmityDeliveryBatcher(queue, 5_000);
    const all = Array.from({ length: 300 }, (_, i) => data(100 + i));

    const outcomes = await Promise.all(all.map((d) => batcher.add(d, opts(d))));

    expect(outcomes.every((outcome) => outcome === 'accepted')).toBe(true);
    expect(addBulk.mock.calls.map(([jobs]) => jobs.length)).toEqual([256, 44]);
    expect(await queue.getWaitingCount()).toBe(300);
  });

  it('rejects every delivery of a batch that Redis refuses, at once', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    // Disconnected, with no offline queue: the pipeline fails without waiting.
    await queue.disconnect();
    const batcher = new AmityDeliveryBatcher(queue, 5_000);
    const batch = [data(4), data(5), data(12), data(13)];
    const started = performance.now();

    const results = await Promise.allSettled(batch.map((d) => batcher.add(d, opts(d))));

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : ''))).not.toContain('no answer within 5000 ms');
    // A lone add (a plain `add`, no pipeline) is refused the same way.
    const c = data(8);
    await expect(batcher.add(c, opts(c))).rejects.toThrow('Connection is closed');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  describe('with a Redis that stops answering', () => {
    let redis: RedisServerHandle;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => {
      redis.resume();
      await redis.stop();
    });

    it('rejects every delivery of a batch not answered within the timeout, and not later than that', async () => {
      const queue = openQueue(redis.url);
      await queue.waitUntilReady();
      const batcher = new AmityDeliveryBatcher(queue, 200);
      const batch = [data(6), data(7), data(14), data(15)];
      redis.pause();
      const started = performance.now();

      const results = await Promise.allSettled(batch.map((d) => batcher.add(d, opts(d))));

      const waited = performance.now() - started;
      redis.resume();
      expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual(Array(4).fill('no answer within 200 ms'));
      expect(waited).toBeGreaterThanOrEqual(190);
      expect(waited).toBeLessThan(1_000);
    });

    it('rejects a lone delivery (a plain add) not answered within the timeout', async () => {
      const queue = openQueue(redis.url);
      await queue.waitUntilReady();
      const add = jest.spyOn(queue, 'add');
      const batcher = new AmityDeliveryBatcher(queue, 200);
      const a = data(9);
      redis.pause();
      const started = performance.now();

      const result = await batcher.add(a, opts(a)).catch((error: Error) => error.message);

      const waited = performance.now() - started;
      redis.resume();
      expect(add).toHaveBeenCalledTimes(1);
      expect(result).toBe('no answer within 200 ms');
      expect(waited).toBeGreaterThanOrEqual(190);
      expect(waited).toBeLessThan(1_000);
    });
  });
});
