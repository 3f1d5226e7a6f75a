import { describe, expect, it } from '@jest/globals';
import * as prom from 'prom-client';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import type { AmityListenerCalled, AmityRequestAnswered } from '../stats/amity-webhook.observer.js';
import { installAmityMetrics } from './amity-metrics.installer.js';
import { loadAmityPromClient } from './amity-metrics.loader.js';

const answered = (outcome: AmityRequestAnswered['outcome'], status: number, durationSeconds = 0.002): AmityRequestAnswered => ({
  outcome,
  status,
  durationSeconds,
  startedAt: Date.now(),
  deliveryId: 'd',
  event: 'message.didCreate',
});
const call = (listener: string, name: string, outcome: AmityListenerCalled['outcome']): AmityListenerCalled => ({
  listener,
  name,
  outcome,
  deliveryId: 'd',
  attempt: 1,
  startedAt: Date.now(),
  durationSeconds: 0.01,
  error: outcome === 'succeeded' ? undefined : new Error('x'),
});

async function values(registry: prom.Registry, name: string): Promise<Array<{ labels: object; value: number }>> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  return (await metric.get()).values.map(({ labels, value }) => ({ labels, value }));
}

describe('installAmityMetrics', () => {
  it('counts answers, dispatches, invalid deliveries and failures with bounded labels', async () => {
    const registry = new prom.Registry();
    const stats = new AmityWebhookStats();
    let backlog = 3;
    const installed = installAmityMetrics(prom, registry, { stats, backlog: () => backlog });

    stats.requestAnswered(answered('accepted', 200));
    stats.requestAnswered(answered('duplicate', 200));
    stats.requestAnswered(answered('rejected', 401));
    stats.requestAnswered(answered('rejected', 401));
    stats.requestAnswered(answered('refused', 503, 0.7));
    stats.deliveryProcessed({ event: 'message.didCreate', deliveryId: 'a' });
    stats.deliveryProcessed({ event: 'story.didCreate', deliveryId: 'b' });
    stats.deliveryProcessed({ event: 'made.up', deliveryId: 'c' });
    stats.deliveryInvalid({ event: 'message.didCreate', deliveryId: 'd' });
    stats.listenerCalled(call('Moderation.onMessage', 'amity.message.didCreate', 'failed'));
    stats.listenerCalled(call('Moderation.onMessage', 'amity.message.didCreate', 'timed-out'));
    stats.listenerCalled(call('Moderation.onMessage', 'amity.message.didCreate', 'succeeded'));
    stats.listenerCalled(call('amity.story.didCreate#0', 'amity.story.didCreate', 'failed'));

    expect(await values(registry, 'amity_webhook_requests_total')).toEqual([
      { labels: { outcome: 'accepted', status: '200' }, value: 1 },
      { labels: { outcome: 'duplicate', status: '200' }, value: 1 },
      { labels: { outcome: 'rejected', status: '401' }, value: 2 },
      { labels: { outcome: 'refused', status: '503' }, value: 1 },
    ]);
    expect(await values(registry, 'amity_webhook_events_dispatched_total')).toEqual([
      { labels: { event: 'message.didCreate' }, value: 1 },
      { labels: { event: 'other' }, value: 2 },
    ]);
    expect(await values(registry, 'amity_webhook_invalid_total')).toEqual([{ labels: { event: 'message.didCreate' }, value: 1 }]);
    expect(await values(registry, 'amity_webhook_handler_failures_total')).toEqual([
      { labels: { listener: 'Moderation.onMessage', event: 'message.didCreate' }, value: 2 },
      { labels: { listener: 'other#0', event: 'other' }, value: 1 },
    ]);
    const text = await registry.metrics();
    expect(text).toContain('amity_webhook_ack_duration_seconds_count 5');
    expect(text).toContain('amity_webhook_ack_duration_seconds_bucket{le="0.0025"} 4');
    expect(text).toContain('amity_webhook_backlog 3');
    expect(text).not.toContain('amity_webhook_dead_letters');
    backlog = 0;
    expect(await registry.metrics()).toContain('amity_webhook_backlog 0');

    installed.uninstall();
    expect(registry.getMetricsAsArray()).toEqual([]);
    stats.requestAnswered(answered('accepted', 200));
  });

  it('reads the dead-letter gauge in durable mode, and NaN for a value it cannot read', async () => {
    const registry = new prom.Registry();
    const installed = installAmityMetrics(prom, registry, {
      stats: new AmityWebhookStats(),
      backlog: () => Promise.reject(new Error('redis is gone')),
      deadLetters: async () => 7,
    });
    const text = await registry.metrics();
    expect(text).toContain('amity_webhook_dead_letters 7');
    // prom-client writes NaN as `Nan`, which Prometheus parses as NaN.
    expect(text).toMatch(/^amity_webhook_backlog nan$/im);
    installed.uninstall();
  });

  it('refuses to register twice on one registry, and leaves the host metrics alone', () => {
    const registry = new prom.Registry();
    registry.registerMetric(new prom.Counter({ name: 'host_metric_total', help: 'a host metric', registers: [] }));
    const stats = new AmityWebhookStats();
    const first = installAmityMetrics(prom, registry, { stats, backlog: () => 0 });
    expect(() => installAmityMetrics(prom, registry, { stats, backlog: () => 0 })).toThrow(/amity_webhook_requests_total is already registered.*metrics: \{ registry \}/);
    first.uninstall();
    expect(registry.getMetricsAsArray().map((m) => m.name)).toEqual(['host_metric_total']);
  });
});

describe('loadAmityPromClient', () => {
  it('loads the installed prom-client', async () => {
    expect(typeof (await loadAmityPromClient()).Counter).toBe('function');
  });

  it('names the package to install when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'prom-client' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loadAmityPromClient(() => Promise.reject(missing))).rejects.toThrow(/`metrics` needs .*npm install prom-client/);
    await expect(loadAmityPromClient(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
