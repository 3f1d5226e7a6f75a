import { describe, expect, it } from '@jest/globals';
import { AmityWebhookConfigError } from '../../src/errors/amity-webhook-config.error.js';
import { loadAmityBullmq } from '../../src/queue/bullmq/amity-bullmq.loader.js';
import { AMITY_QUEUE_DEFAULTS, resolveAmityQueueOptions, type AmityQueueOptions } from '../../src/queue/amity-queue.options.js';

const missing = (name: string) => () => Promise.reject(Object.assign(new Error(`Cannot find package '${name}' imported from /app`), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('resolveAmityQueueOptions', () => {
  it('is off without `queue` and applies the documented defaults with it', () => {
    expect(resolveAmityQueueOptions(undefined, { concurrency: 64 })).toBeUndefined();
    expect(resolveAmityQueueOptions({ connection: 'redis://127.0.0.1:6379' }, { concurrency: 64 })).toMatchObject({
      connection: { url: 'redis://127.0.0.1:6379' },
      prefix: AMITY_QUEUE_DEFAULTS.prefix,
      worker: true,
      enqueueTimeoutMs: 300,
      idempotencyWindowMs: 600_000,
      concurrency: 64,
      maxEventLoopDelayMs: 10,
      spoolDir: expect.stringMatching(/\.amity-webhook\/spool\/amity-webhook$/),
    });
    expect(resolveAmityQueueOptions({ connection: 'redis://x', maxEventLoopDelayMs: false }, { concurrency: 1 })?.maxEventLoopDelayMs).toBeUndefined();
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['ordering with queue', { connection: 'redis://x' }, true, /`ordering` cannot be combined with `queue`/],
    ['no connection', {}, undefined, /`queue.connection` is required/],
    ['a non-Redis URL', { connection: 'http://x' }, undefined, /redis:\/\/ or rediss:\/\/ URL/],
    ['an unknown key', { connection: 'redis://x', retries: 3 }, undefined, /unknown `queue` option: retries/],
    ['a timeout past the budget', { connection: 'redis://x', enqueueTimeoutMs: 1500 }, undefined, /at most 1000/],
    ['a fractional maxEventLoopDelayMs', { connection: 'redis://x', maxEventLoopDelayMs: 2.5 }, undefined, /`queue.maxEventLoopDelayMs` must be a positive integer/],
    ['an ioredis keyPrefix', { connection: { keyPrefix: 'x' } }, undefined, /use `queue.prefix`/],
  ])('fails the boot for %s', (_case, queue, ordering, message) => {
    const run = () => resolveAmityQueueOptions(queue as AmityQueueOptions, { ordering, concurrency: 1 });
    expect(run).toThrow(AmityWebhookConfigError);
    expect(run).toThrow(message);
  });
});

describe('loadAmityBullmq', () => {
  it('says what to install when bullmq or ioredis is missing', async () => {
    await expect(loadAmityBullmq({ bullmq: missing('bullmq'), ioredis: async () => ({}) })).rejects.toThrow(
      /optional peer dependency "bullmq".*npm install bullmq ioredis/,
    );
    await expect(loadAmityBullmq({ bullmq: async () => ({}) as never, ioredis: missing('ioredis') })).rejects.toThrow(/"ioredis", which is not installed/);
  });

  it('loads the installed bullmq', async () => {
    expect(typeof (await loadAmityBullmq()).Queue).toBe('function');
  });
});
