import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmityBullmqAdmin } from '../../src/queue/bullmq/amity-bullmq.admin.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { uniquePrefix, waitFor } from './durable.helpers.js';
import { handledCounts, killAllHostApps, startHostApp, stopHostApp, streamDeliveries, type HostAppEnv } from './fixtures/host-app.child.js';

const SECRET = 'app-outage-secret';
/** social.plus gives up after 1.5 s. */
const SENDER_BUDGET_MS = 1_500;

describe('a durable host app whose Redis is killed while deliveries keep coming (redis-server --appendonly yes --appendfsync always)', () => {
  let redis: RedisServerHandle;
  let dir: string;

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true });
    dir = await mkdtemp(join(tmpdir(), 'amity-app-outage-'));
  });

  afterAll(async () => {
    await killAllHostApps();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('acknowledges every delivery within 1.5 s, loses none and handles each once after Redis returns', async () => {
    const env: HostAppEnv = {
      HOST_APP_SECRET: SECRET,
      HOST_APP_RECORD: join(dir, 'handled.log'),
      HOST_APP_REDIS_URL: redis.url,
      HOST_APP_PREFIX: uniquePrefix(),
      HOST_APP_SPOOL_DIR: join(dir, 'spool'),
      HOST_APP_DELAY_MS: '20',
    };
    const app = await startHostApp(env);
    const ids = (phase: string, n: number) => Array.from({ length: n }, (_, i) => `${phase}-${i}`);

    const before = await streamDeliveries(app.url, SECRET, ids('before', 30), { concurrency: 4 });
    // Handled before the outage, so that no listener call is cut off by it (that one would run twice).
    await waitFor('the deliveries sent before the outage to be handled', () => handledCounts(env.HOST_APP_RECORD).size === 30, 15_000);

    await redis.kill();
    const during = await streamDeliveries(app.url, SECRET, ids('during', 100), { concurrency: 4, pauseMs: 10 });
    const spooled = (await readdir(env.HOST_APP_SPOOL_DIR!)).filter((name) => name.endsWith('.json')).length;
    await redis.restart();
    const after = await streamDeliveries(app.url, SECRET, ids('after', 30), { concurrency: 4 });

    const sent = [...before, ...during, ...after];
    expect(sent.filter((s) => s.status !== 200)).toEqual([]);
    expect(Math.max(...sent.map((s) => s.ms))).toBeLessThan(SENDER_BUDGET_MS);
    // Nothing ran while Redis was down: what arrived then waited in the spool.
    expect(spooled).toBe(during.length);

    await waitFor('every delivery to be handled', () => handledCounts(env.HOST_APP_RECORD).size === sent.length, 30_000);
    const admin = await AmityBullmqAdmin.connect({ connection: redis.url, prefix: env.HOST_APP_PREFIX! });
    try {
      await waitFor('the queue to be empty', async () => (await admin.stats()).backlog === 0, 15_000);
      expect((await admin.stats()).failed).toBe(0);
    } finally {
      await admin.close();
    }
    // A late extra call would show up here: give it the time to.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stopHostApp(app, 'SIGTERM');

    const counts = handledCounts(env.HOST_APP_RECORD);
    expect([...counts.keys()].sort()).toEqual(sent.map((s) => s.messageId).sort());
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await readdir(env.HOST_APP_SPOOL_DIR!)).toEqual([]);
    process.stdout.write(
      `app-redis-outage: ${sent.length} acknowledged (${during.length} while Redis was down, all spooled), slowest ack ` +
        `${Math.max(...sent.map((s) => s.ms))} ms, each handled once\n`,
    );
  }, 90_000);
});
