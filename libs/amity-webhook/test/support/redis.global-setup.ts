import { register } from 'node:module';

/**
 * Where the setup leaves the stop function of the server it started, for the teardown (same
 * process, same global).
 */
export const STOP_TEST_REDIS = Symbol.for('amity-webhook.test.stop-redis-server');

/**
 * Jest global setup: gives the suites a Redis through `REDIS_URL`.
 *
 * - `REDIS_URL` unset: starts `redis-server` from PATH on a free loopback port, for this run only.
 * - `REDIS_URL` set: checks that it answers PING.
 *
 * It never fails the run itself: suites that do not need Redis still run, and those that do fail at
 * once (through `testRedisUrl()`) with the reason and how to provide one. Workers inherit the
 * environment, which is how the URL and the reason reach them.
 */
export default async function redisGlobalSetup(): Promise<void> {
  // Node, not Jest, loads this file: the TypeScript it imports needs these hooks (see the loader).
  register('./typescript-import.loader.mjs', import.meta.url);
  const { pingRedis, startRedisServer } = await import('./redis-server.js');
  const { REDIS_UNAVAILABLE_ENV, redactRedisUrl, redisUnavailableMessage } = await import('./test-redis.js');

  delete process.env[REDIS_UNAVAILABLE_ENV];
  const given = process.env['REDIS_URL'];
  if (given) {
    try {
      await pingRedis(given, 2_000);
    } catch (error) {
      process.env[REDIS_UNAVAILABLE_ENV] = redisUnavailableMessage(
        `nothing answers PING at REDIS_URL=${redactRedisUrl(given)} (${messageOf(error)})`,
        true,
      );
    }
    return;
  }
  try {
    const server = await startRedisServer();
    (globalThis as Record<symbol, unknown>)[STOP_TEST_REDIS] = async () => {
      delete process.env['REDIS_URL'];
      await server.stop();
    };
    process.env['REDIS_URL'] = server.url;
  } catch (error) {
    process.env[REDIS_UNAVAILABLE_ENV] = redisUnavailableMessage(`REDIS_URL is unset and ${messageOf(error)}`, false);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
