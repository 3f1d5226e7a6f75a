import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmityQueueRefusedError, type AmityQueuedDelivery } from '../../src/queue/amity-delivery.queue.js';
import { toAmityJobData } from '../../src/queue/bullmq/amity-bullmq.jobs.js';
import { AmityBullmqQueue } from '../../src/queue/bullmq/amity-bullmq.queue.js';
import { AmityDeliverySpool } from '../../src/queue/bullmq/amity-delivery.spool.js';
import { startRedisServer } from '../support/redis-server.js';
import { delivery, FakeProcessor, queueOptions, recordingLogger, RETRY, waitFor } from './durable.helpers.js';

/** social.plus gives up after 1.5 s: every acknowledgement must come well before. */
const SENDER_BUDGET_MS = 1_500;

describe('AmityBullmqQueue when Redis is away (private redis-server, appendonly + appendfsync always)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });

  async function setup(spool = true) {
    const redis = await startRedisServer({ appendOnly: true });
    cleanup.push(() => redis.stop());
    const spoolDir = await mkdtemp(join(tmpdir(), 'amity-spool-'));
    cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
    const options = queueOptions(redis.url, { spoolDir: spool ? spoolDir : false });
    const logger = recordingLogger();
    const queue = await AmityBullmqQueue.create(options, RETRY, logger);
    cleanup.push(() => queue.close(0));
    const processor = new FakeProcessor();
    queue.start(processor);
    return { redis, spoolDir, options, logger, queue, processor };
  }

  /** Enqueues, measuring how long the sender would have waited for its answer. */
  async function timedEnqueue(queue: AmityBullmqQueue, d: AmityQueuedDelivery) {
    const started = Date.now();
    const outcome = await queue.enqueue(d);
    return { outcome, ms: Date.now() - started };
  }

  function expectHandledOnce(processor: FakeProcessor, deliveries: AmityQueuedDelivery[]): void {
    for (const d of deliveries) {
      expect([processor.callsOf('A.one', d.id).length, processor.callsOf('B.two', d.id).length]).toEqual([1, 1]);
    }
    expect(processor.calls).toHaveLength(deliveries.length * 2);
  }

  it('spools what arrives while Redis is killed, acknowledges it in time, and moves it into the queue once when Redis is back', async () => {
    const { redis, spoolDir, logger, queue, processor } = await setup();
    const before = [delivery('message.didCreate', 0)];
    await queue.enqueue(before[0]!);
    await queue.onIdle();

    await redis.kill();
    const during = Array.from({ length: 20 }, (_, i) => delivery('message.didCreate', i + 1));
    const answers = [];
    for (const d of during) answers.push(await timedEnqueue(queue, d));
    // A copy of one of them arriving during the outage is known to the spool.
    await expect(queue.enqueue(during[3]!)).resolves.toBe('duplicate');

    expect(answers.every((a) => a.outcome === 'accepted')).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(SENDER_BUDGET_MS);
    expect((await readdir(spoolDir)).filter((name) => name.endsWith('.json'))).toHaveLength(during.length);

    await redis.restart();
    await waitFor('the spool to drain', async () => (await readdir(spoolDir)).length === 0, 15_000);
    await waitFor('every delivery to be handled', () => processor.calls.length === (before.length + during.length) * 2, 15_000);
    await queue.onIdle();

    expectHandledOnce(processor, [...before, ...during]);
    // One warning when the outage began and one line when it ended, not one per delivery. The
    // worker may also notice the outage (whether it does depends on timing), once at most.
    const warnings = logger.lines.filter(([level]) => level === 'warn').map(([, message]) => message);
    expect(warnings.filter((message) => /deliveries go to the spool/.test(message))).toHaveLength(1);
    expect(warnings.filter((message) => /worker lost Redis/.test(message)).length).toBeLessThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
    expect(logger.lines.filter(([, message]) => /takes deliveries again; 20 spooled deliveries/.test(message))).toHaveLength(1);
    expect(logger.lines.filter(([level]) => level === 'error')).toEqual([]);
  }, 40_000);

  it('spools after enqueueTimeoutMs while Redis is frozen, and handles each delivery once although the late adds land too', async () => {
    const { redis, spoolDir, queue, processor, options } = await setup();
    await queue.enqueue(delivery('message.didCreate', 0));
    await queue.onIdle();

    redis.pause();
    const during = Array.from({ length: 5 }, (_, i) => delivery('message.didCreate', i + 1));
    const answers = [];
    for (const d of during) answers.push(await timedEnqueue(queue, d));
    expect(answers.every((a) => a.outcome === 'accepted')).toBe(true);
    // The first waits for the timeout; the next go to the spool at once.
    expect(answers[0]!.ms).toBeGreaterThanOrEqual(options.enqueueTimeoutMs - 5);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(SENDER_BUDGET_MS);
    expect(await readdir(spoolDir)).toHaveLength(during.length);

    redis.resume();
    await waitFor('the spool to drain', async () => (await readdir(spoolDir)).length === 0, 15_000);
    await waitFor('every delivery to be handled', () => processor.calls.length === (1 + during.length) * 2, 15_000);
    await queue.onIdle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processor.calls).toHaveLength((1 + during.length) * 2);
  }, 40_000);

  it('moves deliveries a previous run left in the spool when it starts', async () => {
    const redis = await startRedisServer();
    cleanup.push(() => redis.stop());
    const spoolDir = await mkdtemp(join(tmpdir(), 'amity-spool-'));
    cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
    const left = [delivery('message.didCreate', 1), delivery('post.didCreate', 2)];
    const spool = new AmityDeliverySpool(spoolDir);
    for (const d of left) await spool.write(toAmityJobData(d));
    // A write that crashed before its rename leaves a temporary file, never acknowledged: ignored.
    await writeFile(join(spoolDir, '.abc.tmp'), '{"id":');

    const queue = await AmityBullmqQueue.create(queueOptions(redis.url, { spoolDir }), RETRY, recordingLogger());
    cleanup.push(() => queue.close(0));
    const processor = new FakeProcessor();
    queue.start(processor);

    await waitFor('both left deliveries to be handled', () => processor.calls.length === 4);
    expectHandledOnce(processor, left);
    expect(await spool.list()).toEqual([]);
  }, 20_000);

  it('answers 503 (unavailable) only when neither Redis nor the spool takes the delivery', async () => {
    const { redis, spoolDir, queue, logger } = await setup();
    await redis.kill();
    await rm(spoolDir, { recursive: true, force: true });
    await writeFile(spoolDir, 'not a directory');

    for (let i = 0; i < 3; i++) {
      await expect(queue.enqueue(delivery('message.didCreate', i))).rejects.toMatchObject({
        constructor: AmityQueueRefusedError,
        reason: 'unavailable',
      });
    }
    expect(logger.lines.filter(([level]) => level === 'error')).toHaveLength(1);
  }, 20_000);

  it('answers 503 at once when Redis is down and the spool is turned off', async () => {
    const { redis, queue } = await setup(false);
    await redis.kill();
    const started = Date.now();
    await expect(queue.enqueue(delivery())).rejects.toMatchObject({ reason: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(SENDER_BUDGET_MS);
  }, 20_000);

  it('fails at boot when the spool directory cannot be written', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'amity-spool-')), 'file');
    cleanup.push(() => rm(file, { force: true }));
    await writeFile(file, '');
    await expect(AmityBullmqQueue.create(queueOptions('redis://127.0.0.1:1', { spoolDir: join(file, 'spool') }), RETRY, recordingLogger())).rejects.toThrow(
      /ENOTDIR/,
    );
  });
});

