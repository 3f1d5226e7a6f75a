import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postSigned, type RawResponse } from '../fixture/http.js';
import { testRedisUrl } from '../support/test-redis.js';
import { dropPrefix, uniquePrefix, waitFor } from './durable.helpers.js';
import {
  handledCounts,
  killAllHostApps,
  messageBody,
  startedMessages,
  startHostApp,
  stopHostApp,
  streamDeliveries,
  type HostApp,
  type HostAppEnv,
} from './fixtures/host-app.child.js';

const SECRET = 'app-shutdown-secret';

/** Posts a new delivery every 20 ms until the process has exited; the answers, in order. */
async function sendUntilExit(app: HostApp, prefix: string): Promise<Array<{ messageId: string; response: RawResponse | undefined }>> {
  const answers: Array<{ messageId: string; response: RawResponse | undefined }> = [];
  const state = { exited: false };
  void app.exited.then(() => (state.exited = true));
  for (let i = 0; !state.exited && i < 1_000; i++) {
    const messageId = `${prefix}-${i}`;
    const response = await postSigned(app.url, messageBody(messageId), SECRET).catch(() => undefined);
    answers.push({ messageId, response });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return answers;
}

describe('app.close() (SIGTERM) while deliveries are in flight', () => {
  let url: string;
  let dir: string;
  const prefixes: string[] = [];

  beforeAll(async () => {
    url = await testRedisUrl();
    dir = await mkdtemp(join(tmpdir(), 'amity-app-shutdown-'));
  });

  afterAll(async () => {
    await killAllHostApps();
    for (const prefix of prefixes) await dropPrefix(url, prefix);
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('in memory: answers 503 to new deliveries while it finishes the accepted ones, then exits', async () => {
    const env: HostAppEnv = {
      HOST_APP_SECRET: SECRET,
      HOST_APP_RECORD: join(dir, 'memory.log'),
      HOST_APP_DELAY_MS: '1000',
      HOST_APP_CONCURRENCY: '4',
      HOST_APP_SHUTDOWN_MS: '10000',
    };
    const app = await startHostApp(env);
    const accepted = await streamDeliveries(app.url, SECRET, Array.from({ length: 8 }, (_, i) => `mem-${i}`), { concurrency: 8 });
    expect(accepted.every((s) => s.status === 200)).toBe(true);
    await waitFor('listener calls to be running', () => startedMessages(env.HOST_APP_RECORD).size >= 4);

    app.child.kill('SIGTERM');
    const during = await sendUntilExit(app, 'mem-late');
    await stopHostApp(app);
    expect(app.child.exitCode).toBe(0);

    const refused = during.filter((d) => d.response?.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.response!.headers['retry-after']).toBe('1');
    // Nothing else than 503 or a closed connection once the drain began (a 200 just before it counts as accepted).
    const firstRefusal = during.indexOf(refused[0]!);
    expect(during.slice(firstRefusal).filter((d) => d.response !== undefined && d.response.status !== 503)).toEqual([]);

    // Every acknowledged delivery was finished by this process before it exited.
    const acknowledged = [...accepted.map((s) => s.messageId), ...during.filter((d) => d.response?.status === 200).map((d) => d.messageId)];
    const counts = handledCounts(env.HOST_APP_RECORD);
    expect(acknowledged.filter((id) => counts.get(id) !== 1)).toEqual([]);
  }, 60_000);

  it('durable: answers 503 while draining, leaves what is unfinished in Redis, and the next instance handles it', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const env: HostAppEnv = {
      HOST_APP_SECRET: SECRET,
      HOST_APP_RECORD: join(dir, 'durable.log'),
      HOST_APP_REDIS_URL: url,
      HOST_APP_PREFIX: prefix,
      HOST_APP_SPOOL_DIR: join(dir, 'spool'),
      HOST_APP_DELAY_MS: '1500',
      HOST_APP_CONCURRENCY: '2',
      // Shorter than one listener call: the running calls are cut off, the waiting jobs not started.
      HOST_APP_SHUTDOWN_MS: '300',
      HOST_APP_LOCK_MS: '1000',
    };
    const first = await startHostApp(env);
    const accepted = await streamDeliveries(first.url, SECRET, Array.from({ length: 8 }, (_, i) => `dur-${i}`), { concurrency: 8 });
    expect(accepted.every((s) => s.status === 200)).toBe(true);
    await waitFor('listener calls to be running', () => startedMessages(env.HOST_APP_RECORD).size >= 1);

    first.child.kill('SIGTERM');
    const during = await sendUntilExit(first, 'dur-late');
    await stopHostApp(first);
    expect(first.child.exitCode).toBe(0);
    const refused = during.filter((d) => d.response?.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.response!.headers['retry-after']).toBe('1');

    const acknowledged = [...accepted.map((s) => s.messageId), ...during.filter((d) => d.response?.status === 200).map((d) => d.messageId)];
    const finishedByFirst = handledCounts(env.HOST_APP_RECORD);
    // The first process left work behind: it did not finish every acknowledged delivery.
    expect(acknowledged.filter((id) => !finishedByFirst.has(id)).length).toBeGreaterThan(0);

    const second = await startHostApp(env);
    await waitFor(
      'the next instance to handle what the first left in Redis',
      () => {
        const counts = handledCounts(env.HOST_APP_RECORD);
        return acknowledged.every((id) => counts.has(id));
      },
      30_000,
    );
    await stopHostApp(second, 'SIGTERM');
    process.stdout.write(
      `app-shutdown (durable): ${acknowledged.length} acknowledged, ${finishedByFirst.size} finished before the close, ` +
        `${refused.length} refused with 503 while draining, the rest handled by the next instance\n`,
    );
  }, 60_000);
});
