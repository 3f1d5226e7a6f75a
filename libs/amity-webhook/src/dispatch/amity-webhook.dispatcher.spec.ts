import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AMITY_WEBHOOK_HANDLER_FAILED_EVENT } from '../amity-webhook.constants.js';
import type { AmityWebhookHandlerFailedEvent } from '../interfaces/amity-webhook-event.interface.js';
import type { AmityWebhookModuleOptions } from '../interfaces/amity-webhook-options.interface.js';
import { resolveAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityDelivery } from './amity-delivery.interface.js';
import { AmityWebhookDispatcher } from './amity-webhook.dispatcher.js';

/** A custom (not catalogued) event: dispatched without validation, as `amity.<name>`. */
function delivery(n: number): AmityDelivery {
  return {
    id: `d-${n}`,
    kind: 'event',
    event: 'bench.tick',
    wireEvent: 'bench.tick',
    data: { n },
    payload: { event: 'bench.tick', data: { n } },
    body: Buffer.from(JSON.stringify({ event: 'bench.tick', data: { n } })),
    receivedAt: new Date(),
    webhook: { index: 0, label: 'webhook 1' },
    validated: undefined,
  };
}

function dispatcher(options: Partial<AmityWebhookModuleOptions> = {}): { emitter: EventEmitter2; dispatcher: AmityWebhookDispatcher } {
  const emitter = new EventEmitter2({ wildcard: true });
  const resolved = resolveAmityWebhookOptions({ secrets: 'dispatcher-spec', retryDelayMs: 1, ...options });
  return { emitter, dispatcher: new AmityWebhookDispatcher(emitter, resolved) };
}

describe('AmityWebhookDispatcher', () => {
  // Failures are logged with their stacks; the assertions read the reported events instead.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  it('drains a large backlog of synchronous listeners without growing the stack, in order per entity', async () => {
    // One entity, one slot: every delivery is released by the one before it, synchronously.
    const { emitter, dispatcher: d } = dispatcher({ concurrency: 1, maxQueueSize: 100_000, ordering: () => 'one-entity' });
    const seen: number[] = [];
    emitter.on('amity.bench.tick', (event: { data: { n: number } }) => {
      seen.push(event.data.n);
    });
    for (let n = 0; n < 50_000; n++) d.enqueue(delivery(n));
    await d.onIdle();
    expect(seen).toHaveLength(50_000);
    expect(seen.every((n, i) => n === i)).toBe(true);
    expect(d.pending).toBe(0);
    expect(d.stats.dispatched).toBe(50_000);
  });

  it('keeps at most `concurrency` asynchronous deliveries in flight, and counts them as pending', async () => {
    const { emitter, dispatcher: d } = dispatcher({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    emitter.on('amity.bench.tick', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
    });
    for (let n = 0; n < 12; n++) d.enqueue(delivery(n));
    expect(d.pending).toBe(12);
    await d.onIdle();
    expect(peak).toBe(3);
    expect(d.stats.dispatched).toBe(12);
  });

  it('retries a listener that throws synchronously, reports each failure, and leaves the others alone', async () => {
    const { emitter, dispatcher: d } = dispatcher({ retries: 2 });
    let calls = 0;
    let healthy = 0;
    const failures: AmityWebhookHandlerFailedEvent[] = [];
    emitter.on('amity.bench.tick', () => {
      calls++;
      if (calls < 3) throw new Error(`flaky ${calls}`);
    });
    emitter.on('amity.bench.tick', () => {
      healthy++;
    });
    emitter.on(AMITY_WEBHOOK_HANDLER_FAILED_EVENT, (failure: AmityWebhookHandlerFailedEvent) => {
      failures.push(failure);
    });
    d.enqueue(delivery(1));
    await d.onIdle();
    expect(calls).toBe(3);
    expect(healthy).toBe(1);
    expect(failures.map((f) => [f.attempt, f.willRetry, f.error.message, f.deliveryId])).toEqual([
      [1, true, 'flaky 1', 'd-1'],
      [2, true, 'flaky 2', 'd-1'],
    ]);
    expect(d.stats.handlerFailures).toBe(2);
  });

  it('starts queued deliveries on the next tick after flush(), on the next turn of the loop without it', async () => {
    const { emitter, dispatcher: d } = dispatcher();
    const seen: string[] = [];
    emitter.on('amity.bench.tick', (event: { id: string }) => {
      seen.push(event.id);
    });
    d.enqueue(delivery(1));
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(seen).toEqual([]);
    d.enqueue(delivery(2));
    d.flush();
    d.flush(); // a second call before the tick adds nothing
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(seen).toEqual(['d-1', 'd-2']);
    await d.onIdle();
    expect(d.stats.dispatched).toBe(2);
  });

  it('times out hanging calls, first and retried alike, retries rejections, and settles every delivery', async () => {
    const { emitter, dispatcher: d } = dispatcher({ retries: 1, handlerTimeoutMs: 50 });
    const failures: Array<[string, number, boolean, boolean]> = [];
    emitter.on(AMITY_WEBHOOK_HANDLER_FAILED_EVENT, (failure: AmityWebhookHandlerFailedEvent) => {
      failures.push([failure.deliveryId, failure.attempt, failure.willRetry, failure.timedOut]);
    });
    const calls = new Map<number, number>();
    emitter.on('amity.bench.tick', (event: { data: { n: number } }) => {
      const n = event.data.n;
      const call = (calls.get(n) ?? 0) + 1;
      calls.set(n, call);
      if (n === 1) return new Promise(() => undefined); // hangs
      if (n === 2) return call === 1 ? Promise.reject(new Error('once')) : Promise.resolve(); // rejects, then succeeds
      if (n === 3) {
        if (call === 1) throw new Error('sync'); // throws, then the retried call hangs
        return new Promise(() => undefined);
      }
      return Promise.resolve();
    });
    for (const n of [1, 2, 3, 4]) d.enqueue(delivery(n));
    await d.onIdle();
    expect(d.pending).toBe(0);
    expect(d.stats.dispatched).toBe(4);
    expect([...calls]).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 1],
    ]);
    expect(failures.sort()).toEqual([
      ['d-1', 1, false, true],
      ['d-2', 1, true, false],
      ['d-3', 1, true, false],
      ['d-3', 2, false, true],
    ]);
  });

  it('passes the event name and payload to onAny() listeners', async () => {
    const { emitter, dispatcher: d } = dispatcher();
    const seen: Array<[string, unknown]> = [];
    emitter.onAny((name: string | string[], value: unknown) => {
      seen.push([String(name), (value as { id: string }).id]);
    });
    d.enqueue(delivery(7));
    await d.onIdle();
    expect(seen).toEqual([['amity.bench.tick', 'd-7']]);
  });
});
