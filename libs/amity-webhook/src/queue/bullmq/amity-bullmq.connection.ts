import type { AmityRedisConnectionOptions } from '../amity-queue.options.js';

/**
 * Reconnect quickly after an outage (BullMQ's own default waits up to 20 s between attempts),
 * since the spool drains only once Redis answers again.
 */
function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 250, 2_000);
}

/**
 * The connection options of one BullMQ client. `failFast` is for the client that stores
 * deliveries: with no offline queue, a command fails at once while Redis is disconnected (the
 * delivery goes to the spool) instead of waiting in memory. (The adds of requests that arrive
 * together already share one write: see `AmityDeliveryBatcher`.) Workers keep the offline queue:
 * BullMQ's blocking calls need it. The user's own options win.
 */
export function amityBullmqConnection(
  connection: Readonly<AmityRedisConnectionOptions>,
  options: { failFast: boolean },
): AmityRedisConnectionOptions {
  return {
    retryStrategy: reconnectDelay,
    ...(options.failFast ? { enableOfflineQueue: false } : {}),
    ...connection,
  };
}
