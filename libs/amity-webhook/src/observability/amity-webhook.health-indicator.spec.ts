import { describe, expect, it } from '@jest/globals';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityDeliveryQueue } from '../queue/amity-delivery.queue.js';
import { AmityWebhookHealthIndicator } from './amity-webhook.health-indicator.js';

function indicator(backlog: number, maxQueueSize = 10): AmityWebhookHealthIndicator {
  const queue = { backlog: () => backlog } as unknown as AmityDeliveryQueue;
  return new AmityWebhookHealthIndicator({ maxQueueSize } as ResolvedAmityWebhookOptions, queue);
}

describe('AmityWebhookHealthIndicator (memory mode)', () => {
  it('is up under the bound, under the key asked for', async () => {
    expect(await indicator(3).isHealthy()).toEqual({ 'amity-webhook': { status: 'up', mode: 'memory', backlog: 3, maxBacklog: 10 } });
    expect(await indicator(0).isHealthy('webhooks')).toEqual({ webhooks: { status: 'up', mode: 'memory', backlog: 0, maxBacklog: 10 } });
  });

  it('is down once the backlog reaches its bound (the queue refuses then)', async () => {
    expect(await indicator(10).isHealthy()).toEqual({
      'amity-webhook': { status: 'down', mode: 'memory', backlog: 10, maxBacklog: 10, message: 'backlog 10 reached its bound 10' },
    });
    expect((await indicator(5).isHealthy('amity', { maxBacklog: 5 })).amity.status).toBe('down');
  });
});
