import { pingRedis } from './redis-server.js';

/**
 * Set by the Jest global setup when it could not provide a Redis; the Redis suites fail with it
 * instead of waiting on a connection that will never come.
 */
export const REDIS_UNAVAILABLE_ENV = 'AMITY_TEST_REDIS_UNAVAILABLE';

// What to do about it, depending on whether REDIS_URL was given.
const START_ONE = 'Start Redis there, or unset REDIS_URL to let the test run start redis-server from PATH on a free port.';
const PROVIDE_ONE =
  'Put redis-server on PATH (Debian: apt-get install redis-server), or set REDIS_URL to a running server ' +
  '(REDIS_URL=redis://127.0.0.1:6379 npm test).';

/**
 * The Redis the tests use (`REDIS_URL`, which the Jest global setup fills in when it starts one),
 * checked to answer PING within two seconds. Call it in `beforeAll` of a suite that needs Redis:
 * without one the suite fails at once with a message saying how to provide it.
 */
export async function testRedisUrl(): Promise<string> {
  const unavailable = process.env[REDIS_UNAVAILABLE_ENV];
  if (unavailable) throw new Error(unavailable);
  const url = process.env['REDIS_URL'];
  if (!url) {
    throw new Error(`No Redis for the tests: REDIS_URL is unset and the Jest global setup did not run. ${PROVIDE_ONE}`);
  }
  try {
    await pingRedis(url, 2_000);
  } catch (error) {
    throw new Error(`No Redis answers at REDIS_URL=${redactRedisUrl(url)} (${describe(error)}). ${START_ONE}`, { cause: error });
  }
  return url;
}

/** Says what went wrong and how to provide a Redis (`urlGiven`: whether REDIS_URL was set). */
export function redisUnavailableMessage(problem: string, urlGiven: boolean): string {
  return `No Redis for the tests: ${problem}. ${urlGiven ? START_ONE : PROVIDE_ONE}`;
}

/** The URL without its password, fit for a log line. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
