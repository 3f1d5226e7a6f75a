import { afterEach, describe, expect, it } from '@jest/globals';
import { resolveAmityWebhookOptions } from '../../src/options/amity-webhook-options.resolver.js';
import { AmityQueueRefusedError, type AmityDeliveryProcessor, type AmityDeliveryQueue, type AmityPreparedDelivery } from '../../src/queue/amity-delivery.queue.js';
import { AmityMemoryQueue } from '../../src/queue/amity-memory.queue.js';
import { AmityBullmqQueue } from '../../src/queue/bullmq/amity-bullmq.queue.js';
import { delivery, dropPrefix, FakeProcessor, queueOptions, recordingLogger, RETRY, waitFor } from '../durable/durable.helpers.js';
import { testRedisUrl } from '../support/test-redis.js';

/** The fake worker, able to serve an in-memory queue too (which calls dispatch, not invoke per job). */
function servingBoth(fake: FakeProcessor): AmityDeliveryProcessor {
  return {
    prepare: (delivery) => fake.prepare(delivery),
    handedOut: (prepared) => fake.handedOut(prepared),
    calledOnce: (prepared) => fake.calledOnce(prepared),
    invoke: (prepared, listener, attempt, willRetry) => fake.invoke(prepared, listener, attempt, willRetry),
    dispatch: async (prepared: AmityPreparedDelivery) => {
      fake.handedOut(prepared);
      for (const listener of prepared.listeners) await fake.invoke(prepared, listener, 1, false);
    },
  };
}

interface Implementation {
  readonly name: string;
  create(): Promise<{ queue: AmityDeliveryQueue; cleanup(): Promise<void> }>;
}

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: 'AmityMemoryQueue',
    create: async () => ({ queue: new AmityMemoryQueue(resolveAmityWebhookOptions({ secrets: 'contract' })), cleanup: async () => undefined }),
  },
  {
    name: 'AmityBullmqQueue',
    create: async () => {
      const url = await testRedisUrl();
      const options = queueOptions(url);
      const queue = await AmityBullmqQueue.create(options, RETRY, recordingLogger());
      return { queue, cleanup: () => dropPrefix(url, options.prefix) };
    },
  },
];

// The seam's contract: what the receiver and the module rely on, whichever queue is configured.
describe.each(IMPLEMENTATIONS)('AmityDeliveryQueue contract: $name', ({ create }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function started(): Promise<{ queue: AmityDeliveryQueue; processor: FakeProcessor }> {
    const { queue, cleanup } = await create();
    cleanups.push(async () => {
      await queue.close(1_000);
      await cleanup();
    });
    const processor = new FakeProcessor(['A.one', 'B.two']);
    await queue.start(servingBoth(processor));
    return { queue, processor };
  }

  it('accepts a delivery, calls each listener once with it, and is idle afterwards', async () => {
    const { queue, processor } = await started();
    const first = delivery('message.didCreate', 1);
    expect(await queue.enqueue(first)).toBe('accepted');
    await waitFor('both listeners', () => processor.calls.length === 2);
    await queue.onIdle();
    // Each listener once; in durable mode they run as separate jobs, in no set order.
    expect(processor.calls.map((c) => [c.listener, c.deliveryId]).sort()).toEqual([
      ['A.one', first.id],
      ['B.two', first.id],
    ]);
    expect(processor.handed).toEqual([first.id]);
    expect(await queue.backlog()).toBe(0);
  });

  it('reports the same delivery again as a duplicate and does not process it twice', async () => {
    const { queue, processor } = await started();
    const same = delivery('message.didCreate', 2);
    expect(await queue.enqueue(same)).toBe('accepted');
    expect(await queue.enqueue(same)).toBe('duplicate');
    await waitFor('both listeners', () => processor.calls.length >= 2);
    await queue.onIdle();
    await new Promise((r) => setTimeout(r, 100));
    expect(processor.callsOf('A.one')).toHaveLength(1);
  });

  it('counts unfinished deliveries in the backlog while a listener is busy', async () => {
    const { queue, processor } = await started();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    processor.on('A.one', () => gate);
    await queue.enqueue(delivery('message.didCreate', 3));
    await waitFor('the busy listener', () => processor.callsOf('A.one').length === 1);
    expect(await queue.backlog()).toBeGreaterThan(0);
    release();
    await queue.onIdle();
    expect(await queue.backlog()).toBe(0);
  });

  it('refuses new deliveries with reason "closing" once closed', async () => {
    const { queue } = await started();
    await queue.close(500);
    let refused: unknown;
    try {
      await queue.enqueue(delivery('message.didCreate', 4));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AmityQueueRefusedError);
    expect((refused as AmityQueueRefusedError).reason).toBe('closing');
  });
});
