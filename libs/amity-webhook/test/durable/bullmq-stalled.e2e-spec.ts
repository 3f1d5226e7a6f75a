import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AmityBullmqQueue } from '../../src/queue/bullmq/amity-bullmq.queue.js';
import { testRedisUrl } from '../support/test-redis.js';
import { delivery, dropPrefix, FakeProcessor, queueOptions, recordingLogger, RETRY, waitFor } from './durable.helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('a worker killed with SIGKILL in the middle of a listener call', () => {
  let url: string;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    url = await testRedisUrl();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('leaves its job to another worker, which calls the listener again once the lock expired', async () => {
    const options = queueOptions(url, { worker: false });
    cleanup.push(() => dropPrefix(url, options.prefix));
    const receiver = await AmityBullmqQueue.create(options, RETRY, recordingLogger());
    cleanup.push(() => receiver.close(0));
    const d = delivery();
    await receiver.enqueue(d);

    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', fixture('register-ts.mjs'), fixture('hanging-worker.ts'), url, options.prefix],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanup.push(async () => void child.kill('SIGKILL'));
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the child worker to start the listener', () => output.includes(`started ${d.id}`), 20_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await receiver.admin.stats()).active).toBe(1);

    const survivor = await AmityBullmqQueue.create({ ...options, worker: true }, RETRY, recordingLogger());
    cleanup.push(() => survivor.close(0));
    const processor = new FakeProcessor(['A.one']);
    survivor.start(processor);
    await waitFor('the stalled job to be taken over', () => processor.calls.length === 1, 15_000);
    await survivor.onIdle();

    expect(processor.callsOf('A.one', d.id)).toHaveLength(1);
    expect(await survivor.admin.stats()).toMatchObject({ failed: 0, backlog: 0 });
  }, 40_000);
});
