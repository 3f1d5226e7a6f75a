/**
 * Jest global teardown: stops the `redis-server` the global setup started, if any. It imports
 * nothing (Node loads it outside Jest's module system) and finds the server's stop function on the
 * global the setup shares with it.
 */
export default async function redisGlobalTeardown(): Promise<void> {
  const slot = globalThis as Record<symbol, (() => Promise<void>) | undefined>;
  const key = Symbol.for('amity-webhook.test.stop-redis-server');
  const stop = slot[key];
  slot[key] = undefined;
  await stop?.();
}
