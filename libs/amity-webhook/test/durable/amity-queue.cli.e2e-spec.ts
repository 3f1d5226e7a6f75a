import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { runAmityQueueCommand, type AmityQueueCliIo } from '../../src/cli/amity-queue.cli.js';
import { AmityBullmqQueue } from '../../src/queue/bullmq/amity-bullmq.queue.js';
import { testRedisUrl } from '../support/test-redis.js';
import { delivery, dropPrefix, FakeProcessor, queueOptions, recordingLogger } from './durable.helpers.js';

function io(env: Record<string, string | undefined> = {}): AmityQueueCliIo & { out: string; err: string } {
  const result = {
    out: '',
    err: '',
    env,
    stdout: (text: string) => void (result.out += text),
    stderr: (text: string) => void (result.err += text),
  };
  return result;
}

describe('amity-webhook queue stats / replay --failed', () => {
  let url: string;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    url = await testRedisUrl();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** An app instance whose listener B fails until `fix()`, with one dead letter per delivery. */
  async function appWithDeadLetters(count: number) {
    const options = queueOptions(url);
    cleanup.push(() => dropPrefix(url, options.prefix));
    const queue = await AmityBullmqQueue.create(options, { retries: 0, retryDelayMs: 10 }, recordingLogger());
    cleanup.push(() => queue.close(0));
    let fixed = false;
    const processor = new FakeProcessor().on('B.two', () => {
      if (!fixed) throw new Error('B is broken');
    });
    queue.start(processor);
    for (let i = 0; i < count; i++) await queue.enqueue(delivery(i % 2 ? 'post.didCreate' : 'message.didCreate', i));
    await queue.onIdle();
    return { options, queue, processor, fix: () => (fixed = true) };
  }

  it('prints the counts of the queue named by the environment, as the app reads it', async () => {
    const { options } = await appWithDeadLetters(2);
    const out = io({ AMITY_WEBHOOK_REDIS_URL: url, AMITY_WEBHOOK_QUEUE_PREFIX: options.prefix });
    await expect(runAmityQueueCommand(['queue', 'stats', '--json'], out)).resolves.toBe(0);
    expect(JSON.parse(out.out)).toMatchObject({ prefix: options.prefix, failed: 2, backlog: 0 });

    const text = io();
    await expect(runAmityQueueCommand(['queue', 'stats', '--redis-url', url, '--prefix', options.prefix], text)).resolves.toBe(0);
    expect(text.out).toMatch(/0 unfinished .* 2 dead letters/);
  }, 20_000);

  it('replays the dead letters a filter selects, after a dry run that moves nothing', async () => {
    const { options, queue, processor, fix } = await appWithDeadLetters(4);
    const connection = ['--redis-url', url, '--prefix', options.prefix];

    const dry = io();
    await expect(runAmityQueueCommand(['replay', '--failed', '--event', 'message.didCreate', '--dry-run', ...connection], dry)).resolves.toBe(0);
    expect(dry.out).toMatch(/amity\.message\.didCreate -> B\.two .* after 1 attempts: B is broken/);
    expect(dry.out).toMatch(/2 dead letters would be replayed \(dry run\)/);
    expect((await queue.admin.stats()).failed).toBe(4);

    fix();
    const since = new Date(Date.now() - 60_000).toISOString();
    const run = io();
    await expect(
      runAmityQueueCommand(['replay', '--failed', '--event', 'message.didCreate', '--listener', 'B.two', '--since', since, ...connection], run),
    ).resolves.toBe(0);
    expect(run.out).toMatch(/2 of 2 dead letters replayed/);
    await queue.onIdle();
    expect((await queue.admin.stats()).failed).toBe(2);
    expect(processor.callsOf('B.two')).toHaveLength(4 + 2);
    expect(processor.callsOf('A.one')).toHaveLength(4);
  }, 20_000);

  it.each<[string, string[], RegExp]>([
    ['no command', [], /unknown command/],
    ['replay without --failed', ['replay', '--redis-url', 'redis://127.0.0.1:6379'], /replay needs --failed/],
    ['an unknown flag', ['queue', 'stats', '--colour'], /Unknown option '--colour'/],
    ['a bad --since', ['replay', '--failed', '--since', 'yesterday', '--redis-url', 'redis://x'], /--since must be an ISO date/],
    ['no Redis URL', ['queue', 'stats'], /pass --redis-url <url> or set AMITY_WEBHOOK_REDIS_URL/],
  ])('exits 2 with the usage for %s', async (_case, argv, message) => {
    const out = io();
    await expect(runAmityQueueCommand(argv, out)).resolves.toBe(2);
    expect(out.err).toMatch(message);
    expect(out.err).toMatch(/Usage:/);
  });

  it('exits 1 when Redis does not answer, without hanging', async () => {
    const out = io();
    const started = Date.now();
    await expect(runAmityQueueCommand(['queue', 'stats', '--redis-url', 'redis://127.0.0.1:1'], out)).resolves.toBe(1);
    expect(out.err).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1: (not reachable|no answer)/);
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);
});
