import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { AmityListenerTimeoutError } from '../../src/dispatch/amity-listener.invoker.js';
import { AmityQueueRefusedError } from '../../src/queue/amity-delivery.queue.js';
import type { ResolvedAmityQueueOptions } from '../../src/queue/amity-queue.options.js';
import { AMITY_BULLMQ_QUEUE_NAME, type AmityDeliveryJobData } from '../../src/queue/bullmq/amity-bullmq.jobs.js';
import { AmityBullmqQueue } from '../../src/queue/bullmq/amity-bullmq.queue.js';
import { testRedisUrl } from '../support/test-redis.js';
import { delivery, dropPrefix, FakeProcessor, queueOptions, recordingLogger, RETRY, waitFor } from './durable.helpers.js';

describe('AmityBullmqQueue on a real Redis', () => {
  let url: string;
  const opened: AmityBullmqQueue[] = [];
  const prefixes = new Set<string>();

  beforeAll(async () => {
    url = await testRedisUrl();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close(0)));
    await Promise.all([...prefixes].map((prefix) => dropPrefix(url, prefix)));
    prefixes.clear();
  });

  async function open(options: ResolvedAmityQueueOptions, retry: { retries: number; retryDelayMs: number } = RETRY): Promise<AmityBullmqQueue> {
    prefixes.add(options.prefix);
    const queue = await AmityBullmqQueue.create(options, retry, recordingLogger());
    opened.push(queue);
    return queue;
  }

  /** What another client sees in Redis under a prefix, without going through the queue under test. */
  async function storedJobs(prefix: string): Promise<AmityDeliveryJobData[]> {
    const reader = new Queue(AMITY_BULLMQ_QUEUE_NAME, { connection: { url }, prefix });
    try {
      return (await reader.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).map((job) => job.data as AmityDeliveryJobData);
    } finally {
      await reader.close();
    }
  }

  it('resolves enqueue only once Redis holds the delivery, with its exact bytes, webhook and time', async () => {
    const options = queueOptions(url);
    const queue = await open(options);
    // Bytes that are not valid UTF-8 would not survive a string round trip.
    const sent = delivery('message.didCreate', 1, Buffer.from([0xff, 0x00, 0xfe]));

    await expect(queue.enqueue(sent)).resolves.toBe('accepted');

    const [stored, ...others] = await storedJobs(options.prefix);
    expect(others).toEqual([]);
    expect(Buffer.from(stored!.body, 'base64').equals(sent.body)).toBe(true);
    expect(stored).toMatchObject({ id: sent.id, receivedAt: sent.receivedAt.getTime(), webhook: { index: 0, label: 'webhook-0' } });
    expect(await queue.backlog()).toBe(1);
  });

  it('acknowledges a copy reaching another instance of the prefix as a duplicate, and handles it once', async () => {
    const options = queueOptions(url);
    const [first, second] = [await open(options), await open(options)];
    const [p1, p2] = [new FakeProcessor(), new FakeProcessor()];
    first.start(p1);
    second.start(p2);
    const copies = [delivery('message.didCreate', 1), delivery('message.didCreate', 2), delivery('post.didCreate', 3)];

    const outcomes = await Promise.all(copies.flatMap((d) => [first.enqueue(d), second.enqueue(d)]));
    await first.onIdle();

    // Each pair: one instance stored it, the other was told it is a duplicate.
    for (let i = 0; i < copies.length; i++) expect([outcomes[2 * i], outcomes[2 * i + 1]].sort()).toEqual(['accepted', 'duplicate']);
    for (const d of copies) {
      for (const listener of ['A.one', 'B.two']) {
        expect([...p1.callsOf(listener, d.id), ...p2.callsOf(listener, d.id)]).toHaveLength(1);
      }
    }
    // Still within the window once handled: a late copy is not handled again.
    await expect(second.enqueue(copies[0]!)).resolves.toBe('duplicate');
    await second.onIdle();
    expect([...p1.calls, ...p2.calls]).toHaveLength(copies.length * 2);
  });

  it('forgets a delivery id when the idempotency window has passed', async () => {
    const queue = await open(queueOptions(url, { idempotencyWindowMs: 200 }));
    const d = delivery();
    await expect(queue.enqueue(d)).resolves.toBe('accepted');
    await expect(queue.enqueue(d)).resolves.toBe('duplicate');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(queue.enqueue(d)).resolves.toBe('accepted');
  });

  it('retries a failing listener alone, with backoff, without calling the others again', async () => {
    const queue = await open(queueOptions(url));
    const processor = new FakeProcessor(['A.one', 'B.two', 'C.three']).on('B.two', ({ attempt }) => {
      if (attempt < 3) throw new Error(`B fails attempt ${attempt}`);
    });
    queue.start(processor);
    const d = delivery();

    await queue.enqueue(d);
    await waitFor('B to succeed', () => processor.callsOf('B.two').length === 3);
    await queue.onIdle();

    expect(processor.callsOf('A.one').map((c) => c.attempt)).toEqual([1]);
    expect(processor.callsOf('C.three').map((c) => c.attempt)).toEqual([1]);
    const b = processor.callsOf('B.two');
    expect(b.map((c) => [c.attempt, c.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    // Exponential backoff of 50 ms with at most half of it as jitter: at least 25 ms, then 50 ms.
    expect(b[1]!.at - b[0]!.at).toBeGreaterThanOrEqual(25);
    expect(b[2]!.at - b[1]!.at).toBeGreaterThanOrEqual(50);
    // The delivery job prepares once and calls A, B and C; only B got a job of its own, for its two retries.
    expect(processor.prepared.length).toBe(1 + 2);
    expect(processor.handed).toHaveLength(1); // counted and logged once, by the delivery job
    expect((await queue.admin.stats()).failed).toBe(0);
  });

  it('gives each of two listeners that failed on one delivery a retry job of its own', async () => {
    const queue = await open(queueOptions(url));
    const processor = new FakeProcessor(['A.one', 'B.two', 'C.three'])
      .on('B.two', ({ attempt }) => {
        if (attempt < 2) throw new Error('B fails once');
      })
      .on('C.three', ({ attempt }) => {
        if (attempt < 3) throw new Error(`C fails attempt ${attempt}`);
      });
    queue.start(processor);

    await queue.enqueue(delivery());
    await waitFor('C to succeed', () => processor.callsOf('C.three').length === 3);
    await queue.onIdle();

    expect(processor.callsOf('A.one').map((c) => c.attempt)).toEqual([1]);
    expect(processor.callsOf('B.two').map((c) => c.attempt)).toEqual([1, 2]);
    expect(processor.callsOf('C.three').map((c) => c.attempt)).toEqual([1, 2, 3]);
    // The delivery job, then B's one retry and C's two.
    expect(processor.prepared.length).toBe(1 + 1 + 2);
    expect((await queue.admin.stats()).failed).toBe(0);
  });

  it('keeps a listener that failed its last attempt in the failed set, and replays it alone with fresh attempts', async () => {
    const queue = await open(queueOptions(url), { retries: 1, retryDelayMs: 20 });
    let bFixed = false;
    const processor = new FakeProcessor().on('B.two', () => {
      if (!bFixed) throw new Error('B is broken');
    });
    queue.start(processor);
    const broken = delivery('message.didCreate', 1);
    const other = delivery('post.didCreate', 2);

    await queue.enqueue(broken);
    await queue.enqueue(other);
    await queue.onIdle();

    const letters = await queue.admin.listFailed();
    expect(letters).toHaveLength(2);
    expect(letters.find((l) => l.deliveryId === broken.id)).toMatchObject({
      kind: 'listener',
      event: 'amity.message.didCreate',
      listener: 'B.two',
      attemptsMade: 2,
      reason: 'B is broken',
      receivedAt: broken.receivedAt,
    });
    expect(processor.callsOf('A.one')).toHaveLength(2);

    // Filters: event (wire or bus name), listener, since; a dry run moves nothing.
    expect(await queue.admin.listFailed({ event: 'message.didCreate' })).toHaveLength(1);
    expect(await queue.admin.listFailed({ event: 'amity.post.didCreate', listener: 'B.two' })).toHaveLength(1);
    expect(await queue.admin.listFailed({ listener: 'A.one' })).toHaveLength(0);
    expect(await queue.admin.listFailed({ since: new Date(Date.now() + 60_000) })).toHaveLength(0);
    const dry = await queue.admin.replayFailed({ event: 'message.didCreate', dryRun: true });
    expect([dry.matched.length, dry.replayed]).toEqual([1, 0]);
    expect((await queue.admin.stats()).failed).toBe(2);

    bFixed = true;
    const replay = await queue.admin.replayFailed({ event: 'message.didCreate' });
    expect(replay.replayed).toBe(1);
    await waitFor('the replayed listener', () => processor.callsOf('B.two', broken.id).length === 3);
    await queue.onIdle();

    // A replay counts the listener's calls from 1 again, with the retry job's attempts (`retries`).
    expect(processor.callsOf('B.two', broken.id).at(-1)).toMatchObject({ attempt: 1, willRetry: false });
    expect(processor.callsOf('A.one')).toHaveLength(2);
    expect((await queue.admin.listFailed()).map((l) => l.deliveryId)).toEqual([other.id]);
    // The replay went round the deduplication window: the delivery itself is still a duplicate.
    await expect(queue.enqueue(broken)).resolves.toBe('duplicate');
  });

  it('lets a hung listener hold only its delivery\'s job while the other listeners and deliveries finish', async () => {
    const queue = await open(queueOptions(url, { concurrency: 3 }));
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const processor = new FakeProcessor(['A.one', 'B.two', 'C.three']).on('A.one', () => hung);
    queue.start(processor);

    await queue.enqueue(delivery('message.didCreate', 1));
    await queue.enqueue(delivery('message.didCreate', 2));
    await waitFor('B and C of both deliveries', () => processor.callsOf('B.two').length === 2 && processor.callsOf('C.three').length === 2);

    expect(processor.callsOf('A.one').length).toBeGreaterThanOrEqual(1);
    release();
    await queue.onIdle();
    expect(processor.callsOf('A.one')).toHaveLength(2);
  });

  it('dead-letters a listener that timed out instead of calling it again', async () => {
    const queue = await open(queueOptions(url));
    // What the listener invoker throws when a call outlives handlerTimeoutMs.
    const processor = new FakeProcessor(['A.one']).on('A.one', () => {
      throw new AmityListenerTimeoutError('amity.message.didCreate', 10);
    });
    queue.start(processor);
    await queue.enqueue(delivery());
    await queue.onIdle();
    expect(processor.callsOf('A.one')).toHaveLength(1);
    expect(await queue.admin.listFailed()).toMatchObject([{ listener: 'A.one', attemptsMade: 1 }]);
  });

  it('with retries: 0, dead-letters a failing listener after its one call, and a replay calls it again', async () => {
    const queue = await open(queueOptions(url), { retries: 0, retryDelayMs: 20 });
    let fixed = false;
    const processor = new FakeProcessor().on('B.two', () => {
      if (!fixed) throw new Error('B is broken');
    });
    queue.start(processor);
    const d = delivery();
    await queue.enqueue(d);
    await queue.onIdle();

    expect(processor.callsOf('B.two').map((c) => [c.attempt, c.willRetry])).toEqual([[1, false]]);
    expect(await queue.admin.listFailed()).toMatchObject([{ deliveryId: d.id, listener: 'B.two', attemptsMade: 1, reason: 'B is broken' }]);

    fixed = true;
    expect((await queue.admin.replayFailed()).replayed).toBe(1);
    await waitFor('the replayed listener', () => processor.callsOf('B.two').length === 2);
    await queue.onIdle();
    expect(processor.callsOf('B.two').at(-1)).toMatchObject({ attempt: 1, willRetry: false });
    expect(processor.callsOf('A.one')).toHaveLength(1);
    expect((await queue.admin.stats()).failed).toBe(0);
  });

  it('counts waiting work in the backlog, refuses deliveries once closing, and leaves unfinished work in Redis', async () => {
    const options = queueOptions(url);
    const queue = await open(options);
    await queue.enqueue(delivery('message.didCreate', 1));
    await queue.enqueue(delivery('message.didCreate', 2));
    expect(await queue.backlog()).toBe(2);

    const processor = new FakeProcessor(['A.one']).on('A.one', () => new Promise<void>(() => undefined));
    queue.start(processor);
    await waitFor('both listeners to hang', () => processor.calls.length === 2);
    const started = Date.now();
    await queue.close(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(queue.enqueue(delivery('message.didCreate', 3))).rejects.toMatchObject({
      constructor: AmityQueueRefusedError,
      reason: 'closing',
    });

    // Another instance takes over what was left running once the dead worker's locks expire.
    const next = await open(options);
    const after = new FakeProcessor(['A.one']);
    next.start(after);
    await waitFor('the unfinished listener calls to be taken over', () => after.calls.length === 2);
    await next.onIdle();
    expect((await next.admin.stats()).failed).toBe(0);
  });

  it('stores a delivery whose enqueue began before close, before it closes the connection', async () => {
    const options = queueOptions(url, { worker: false });
    const queue = await open(options);
    await queue.enqueue(delivery('message.didCreate', 1));
    const sent = delivery('message.didCreate', 2);

    // Its add waits for the end of this turn to be sent with the others; close comes first.
    const stored = queue.enqueue(sent);
    await queue.close(0);

    await expect(stored).resolves.toBe('accepted');
    expect((await storedJobs(options.prefix)).map((job) => job.id)).toContain(sent.id);
  });

  it('does not start a worker on a receive-only instance', async () => {
    const queue = await open(queueOptions(url, { worker: false }));
    const processor = new FakeProcessor();
    queue.start(processor);
    await queue.enqueue(delivery());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processor.calls).toEqual([]);
    expect(await queue.backlog()).toBe(1);
  });
});
