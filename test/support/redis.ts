/** The Redis of the test run (`REDIS_URL`, or the redis-server the Jest global setup started), checked to answer. */
export { testRedisUrl } from '../../libs/amity-webhook/test/support/test-redis.js';

/** Deletes every key of a queue prefix, so that a test leaves nothing in a shared Redis. */
export { dropPrefix } from '../../libs/amity-webhook/test/durable/durable.helpers.js';
