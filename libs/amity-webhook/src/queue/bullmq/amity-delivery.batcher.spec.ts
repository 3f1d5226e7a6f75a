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

  it('sends the adds of one turn together at its end, one plain add each, and tells each caller its own outcome', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const addBulk = jest.spyOn(queue, 'addBulk');
    const add = jest.spyOn(queue, 'add');
    const stored: number[] = [];
    const batcher = new AmityDeliveryBatcher(queue, 1_000, (ms) => stored.push(ms));
    const [a, b, c] = [data(1), data(2), data(10)];

    // The second copy of `a` meets the deduplication key the first one set in the same batch.
    const adding = Promise.all([batcher.add(a, opts(a)), batcher.add(b, opts(b)), batcher.add(c, opts(c)), batcher.add(a, opts(a))]);
    expect(add).not.toHaveBeenCalled();
    const outcomes = await adding;

    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted', 'duplicate']);
    expect(add).toHaveBeenCalledTimes(4);
    expect(addBulk).not.toHaveBeenCalled();
    await batcher.settled();
    expect(stored).toHaveLength(1);
    // A later turn gets a batch of its own.
    await expect(batcher.add(b, opts(b))).resolves.toBe('duplicate');
    await batcher.settled();
    expect(stored).toHaveLength(2);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => (job.data as AmityDeliveryJobData).id).sort()).toEqual(['delivery-1', 'delivery-10', 'delivery-2']);
  });

  it('rejects only the delivery whose own add fails, and stores the rest of its batch', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const batcher = new AmityDeliveryBatcher(queue, 1_000);
    const [a, b, c] = [data(20), data(21), data(22)];

    const results = await Promise.allSettled([batcher.add(a, opts(a)), batcher.add(b, { ...opts(b), jobId: '0:refused' }), batcher.add(c, opts(c))]);

    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual([
      'accepted',
      "JobId cannot be '0' or start with '0:'",
      'accepted',
    ]);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => (job.data as AmityDeliveryJobData).id).sort()).toEqual(['delivery-20', 'delivery-22']);
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

  it('splits a turn with more adds than one batch holds, sending a full batch at once', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    const add = jest.spyOn(queue, 'add');
    const stored: number[] = [];
    const batcher = new AmityDeliveryBatcher(queue, 5_000, (ms) => stored.push(ms));
    const all = Array.from({ length: 300 }, (_, i) => data(100 + i));

    const adding = Promise.all(all.map((d) => batcher.add(d, opts(d))));
    expect(add).toHaveBeenCalledTimes(256);
    const outcomes = await adding;

    expect(outcomes.every((outcome) => outcome === 'accepted')).toBe(true);
    expect(add).toHaveBeenCalledTimes(300);
    await batcher.settled();
    expect(stored).toHaveLength(2);
    expect(await queue.getWaitingCount()).toBe(300);
  });

  it('rejects every delivery of a batch that Redis refuses, at once', async () => {
    const queue = openQueue();
    await queue.waitUntilReady();
    // Disconnected, with no offline queue: each add fails without waiting.
    await queue.disconnect();
    const batcher = new AmityDeliveryBatcher(queue, 5_000);
    const batch = [data(4), data(5), data(12), data(13)];
    const started = performance.now();

    const results = await Promise.allSettled(batch.map((d) => batcher.add(d, opts(d))));

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : ''))).toEqual(Array(4).fill('Connection is closed.'));
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
  });
});
