import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';
import type { AmityWebhookModuleOptions } from '../interfaces/amity-webhook-options.interface.js';
import { resolveAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AmityQueueRefusedError, type AmityDeliveryProcessor, type AmityPreparedDelivery, type AmityQueuedDelivery } from './amity-delivery.queue.js';
import { AmityMemoryQueue } from './amity-memory.queue.js';

function delivery(channelId: string, n: number): AmityQueuedDelivery {
  const payload = { event: 'message.didCreate', data: { messages: [{ messageId: `m${n}`, channelId }] } };
  const body = Buffer.from(JSON.stringify(payload));
  return {
    id: createHash('sha256').update(body).digest('base64url'),
    body,
    receivedAt: new Date(),
    webhook: { index: 0, label: 'webhook-0' },
    parsed: { kind: 'event', event: 'message.didCreate', wireEvent: 'message.didCreate', deprecatedFor: undefined, data: payload.data, payload, validated: undefined },
  };
}

/** Processes each delivery for as long as `hold(n)` says, recording start and end order. */
function processor(hold: (id: string) => Promise<void> = () => Promise.resolve()) {
  const started: string[] = [];
  const finished: string[] = [];
  const worker: AmityDeliveryProcessor = {
    prepare: (d) => ({ delivery: d, event: 'message.didCreate', name: 'amity.message.didCreate', payload: d, listeners: [] }),
    handedOut: () => undefined,
    calledOnce: () => undefined,
    invoke: () => Promise.resolve(),
    dispatch: async (prepared: AmityPreparedDelivery) => {
      const id = (prepared.delivery.parsed!.data as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
      started.push(id);
      await hold(id);
      finished.push(id);
    },
  };
  return { worker, started, finished };
}

const options = (extra: Partial<AmityWebhookModuleOptions> = {}) => resolveAmityWebhookOptions({ secrets: 'memory-queue', ...extra });

describe('AmityMemoryQueue', () => {
  it('counts idempotency claims still pending against maxQueueSize', async () => {
    let answer!: (first: boolean) => void;
    const slowStore = { claim: () => new Promise<boolean>((resolve) => (answer = resolve)) };
    const queue = new AmityMemoryQueue(options({ maxQueueSize: 1, idempotency: { store: slowStore, timeoutMs: 10_000 } }));
    queue.start(processor().worker);
    const first = queue.enqueue(delivery('c', 1));
    // The claim of the first is not answered yet, but it already holds the only place.
    expect(() => queue.enqueue(delivery('c', 2))).toThrow(AmityQueueRefusedError);
    answer(true);
    expect(await first).toBe('accepted');
    await queue.onIdle();
  });

  it('with ordering, starts the next delivery of an entity only once the previous one finished; other entities run meanwhile', async () => {
    const gates = new Map<string, () => void>();
    const { worker, started, finished } = processor((id) => new Promise((resolve) => gates.set(id, resolve)));
    const queue = new AmityMemoryQueue(options({ ordering: true }));
    queue.start(worker);
    queue.enqueue(delivery('a', 1));
    queue.enqueue(delivery('a', 2));
    queue.enqueue(delivery('b', 3));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['m1', 'm3']);
    gates.get('m1')!();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['m1', 'm3', 'm2']);
    gates.get('m2')!();
    gates.get('m3')!();
    await queue.onIdle();
    expect(finished.sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('holds what it accepts before start and processes it then', async () => {
    const { worker, finished } = processor();
    const queue = new AmityMemoryQueue(options());
    expect(queue.enqueue(delivery('c', 1))).toBe('accepted');
    expect(queue.backlog()).toBe(1);
    queue.start(worker);
    await queue.onIdle();
    expect(finished).toEqual(['m1']);
  });

  it('refuses while closing and hands what did not finish in time to onUnfinished', async () => {
    const handed: AmityDeliveryInfo[][] = [];
    const { worker } = processor(() => new Promise(() => undefined));
    const queue = new AmityMemoryQueue(options({ onUnfinished: (left) => void handed.push([...left]) }));
    queue.start(worker);
    queue.enqueue(delivery('c', 1));
    await new Promise((r) => setImmediate(r));
    await queue.close(20);
    expect(() => queue.enqueue(delivery('c', 2))).toThrow(/Shutting down/);
    expect(handed).toHaveLength(1);
    expect(handed[0]!.map((d) => (d.data as { messages: Array<{ messageId: string }> }).messages[0]!.messageId)).toEqual(['m1']);
  });
});
