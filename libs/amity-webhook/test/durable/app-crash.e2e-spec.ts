import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmityBullmqAdmin } from '../../src/queue/bullmq/amity-bullmq.admin.js';
import { testRedisUrl } from '../support/test-redis.js';
import { dropPrefix, uniquePrefix, waitFor } from './durable.helpers.js';
import { handledCounts, killAllHostApps, startedMessages, startHostApp, stopHostApp, streamDeliveries, type HostAppEnv } from './fixtures/host-app.child.js';

const SECRET = 'app-crash-secret';
const TOTAL = 600;
const KILL_AFTER_ACKS = 150;

describe('a durable host app killed with SIGKILL while deliveries stream in (slow listeners, 200 ms)', () => {
  let url: string;
  let dir: string;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    url = await testRedisUrl();
    dir = await mkdtemp(join(tmpdir(), 'amity-app-crash-'));
  });

  afterAll(async () => {
    await killAllHostApps();
    await dropPrefix(url, prefix);
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('handles every acknowledged delivery at least once after a restart', async () => {
    const env: HostAppEnv = {
      HOST_APP_SECRET: SECRET,
      HOST_APP_RECORD: join(dir, 'handled.log'),
      HOST_APP_REDIS_URL: url,
      HOST_APP_PREFIX: prefix,
      HOST_APP_SPOOL_DIR: join(dir, 'spool'),
      HOST_APP_DELAY_MS: '200',
      HOST_APP_LOCK_MS: '1000',
    };
    const first = await startHostApp(env);
    const ids = Array.from({ length: TOTAL }, (_, i) => `crash-${i}`);
    let acks = 0;
    let killedAt: { started: number; done: number } | undefined;
    const sent = await streamDeliveries(first.url, SECRET, ids, {
      // About 350 requests a second.
      concurrency: 8,
      pauseMs: 20,
      onSent: (delivery) => {
        if (delivery.status === 200) acks += 1;
      },
      stop: () => {
        if (killedAt === undefined && acks >= KILL_AFTER_ACKS) {
          // Mid-stream and mid-listener: once some calls finished, at a moment when others are running.
          const running = { started: startedMessages(env.HOST_APP_RECORD).size, done: handledCounts(env.HOST_APP_RECORD).size };
          if (running.started > running.done && running.done >= 10) {
            first.child.kill('SIGKILL');
            killedAt = running;
          }
        }
        return killedAt !== undefined;
      },
    });
    await stopHostApp(first);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeDefined();

    const acknowledged = sent.filter((s) => s.status === 200).map((s) => s.messageId);
    const handledBefore = handledCounts(env.HOST_APP_RECORD);
    // The kill came mid-stream: acknowledged deliveries were still waiting, and listener calls were running.
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.filter((id) => !handledBefore.has(id)).length).toBeGreaterThan(0);
    expect(killedAt!.started).toBeGreaterThan(killedAt!.done);

    const second = await startHostApp(env);
    await waitFor(
      'every acknowledged delivery to be handled by the restarted app',
      () => {
        const counts = handledCounts(env.HOST_APP_RECORD);
        return acknowledged.every((id) => counts.has(id));
      },
      30_000,
    );
    const admin = await AmityBullmqAdmin.connect({ connection: url, prefix });
    try {
      await waitFor('the queue to be empty', async () => (await admin.stats()).backlog === 0, 15_000);
      expect((await admin.stats()).failed).toBe(0);
    } finally {
      await admin.close();
    }
    await stopHostApp(second, 'SIGTERM');

    const counts = handledCounts(env.HOST_APP_RECORD);
    const lost = acknowledged.filter((id) => !counts.has(id));
    const unknown = [...counts.keys()].filter((id) => !sent.some((s) => s.messageId === id));
    expect({ lost, unknown }).toEqual({ lost: [], unknown: [] });
    // At least once: a call that was running when the process died may have finished it and run again.
    const twice = [...counts.values()].filter((n) => n > 1).length;
    process.stdout.write(
      `app-crash: ${sent.length} sent, ${acknowledged.length} acknowledged, ${handledBefore.size} handled before the kill, ` +
        `${counts.size} handled in all, ${twice} twice (running at the kill)\n`,
    );
  }, 90_000);
});
