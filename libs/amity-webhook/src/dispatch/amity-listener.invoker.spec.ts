import { describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AmityWebhookModuleOptions } from '../interfaces/amity-webhook-options.interface.js';
import { resolveAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityPreparedDelivery } from '../queue/amity-delivery.queue.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { AmityListenerInvoker } from './amity-listener.invoker.js';

function setup(extra: Partial<AmityWebhookModuleOptions> = {}) {
  const emitter = new EventEmitter2({ wildcard: true });
  const stats = new AmityWebhookStats();
  const invoker = new AmityListenerInvoker(emitter, resolveAmityWebhookOptions({ secrets: 'invoker', ...extra }), stats);
  const prepare = (n: number): AmityPreparedDelivery => ({
    delivery: { id: `d${n}`, body: Buffer.alloc(0), receivedAt: new Date(), webhook: { index: 0, label: 'w' } },
    event: 'message.didCreate',
    name: 'amity.message.didCreate',
    payload: { n },
    listeners: invoker.listenersOf('amity.message.didCreate'),
  });
  return { emitter, stats, invoker, prepare };
}

describe('AmityListenerInvoker', () => {
  it('finds exact, wildcard and onAny listeners through the public API, keyed by position', () => {
    const { emitter, invoker } = setup();
    emitter.on('amity.message.didCreate', () => undefined);
    emitter.on('amity.**', () => undefined);
    emitter.onAny(() => undefined);
    expect(invoker.listenersOf('amity.message.didCreate').map((l) => [l.key, l.any])).toEqual([
      ['amity.message.didCreate#0', false],
      ['amity.message.didCreate#1', false],
      ['amity.message.didCreate#any-0', true],
    ]);
  });

  it('gives each listener its own slots: one that hangs does not hold back the other', async () => {
    const { emitter, invoker, prepare } = setup({ concurrency: 1, handlerTimeoutMs: 200 });
    const healthy: number[] = [];
    emitter.on('amity.message.didCreate', () => new Promise(() => undefined));
    emitter.on('amity.message.didCreate', (payload: { n: number }) => void healthy.push(payload.n));
    const all = Array.from({ length: 5 }, (_, n) => invoker.dispatchAll(prepare(n)));
    await new Promise((r) => setTimeout(r, 20));
    // Within 20 ms, well before the hung calls time out (200 ms each, one slot).
    expect(healthy).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(all);
  });

  it('frees the slot of a call that timed out, reports it once and does not retry it', async () => {
    const { emitter, invoker, prepare, stats } = setup({ concurrency: 1, handlerTimeoutMs: 30, retries: 2 });
    const calls: number[] = [];
    emitter.on('amity.message.didCreate', (payload: { n: number }) => {
      calls.push(payload.n);
      return payload.n === 0 ? new Promise(() => undefined) : undefined;
    });
    const failures: unknown[] = [];
    emitter.on('amity-webhook.handler-failed', (failure: unknown) => void failures.push(failure));
    await Promise.all([invoker.dispatchAll(prepare(0)), invoker.dispatchAll(prepare(1))]);
    expect(calls).toEqual([0, 1]);
    expect(failures).toEqual([expect.objectContaining({ timedOut: true, willRetry: false, attempt: 1, deliveryId: 'd0' })]);
    expect(stats.handlerFailures).toBe(1);
  });

  it('retries a failing listener alone, with exponential backoff and jitter, until it succeeds', async () => {
    const { emitter, invoker, prepare } = setup({ retries: 3, retryDelayMs: 20 });
    const at: number[] = [];
    let other = 0;
    emitter.on('amity.message.didCreate', () => {
      at.push(performance.now());
      if (at.length < 3) throw new Error('not yet');
    });
    emitter.on('amity.message.didCreate', () => void other++);
    await invoker.dispatchAll(prepare(0));
    expect(at).toHaveLength(3);
    expect(other).toBe(1);
    const [first, second] = [at[1]! - at[0]!, at[2]! - at[1]!];
    // 20 ms then 40 ms, each with up to 50% jitter on top.
    expect(first).toBeGreaterThanOrEqual(19);
    expect(first).toBeLessThan(20 * 1.5 + 25);
    expect(second).toBeGreaterThanOrEqual(39);
    expect(second).toBeLessThan(40 * 1.5 + 25);
  });
});
