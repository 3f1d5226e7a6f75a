import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmityWebhookDispatcher } from '../../src/index.js';
import { createFixtureApp, FIXTURE_ADAPTERS, type FixtureRecorder } from '../fixture/fixture.app.js';
import { postSigned } from '../fixture/http.js';
import { testRedisUrl } from '../support/test-redis.js';

const SECRET = 'durable-secret';
const message = (id: string): string =>
  JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: id, channelId: 'c', userId: 'u', data: { text: 'hi' } }], users: [] } });

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(FIXTURE_ADAPTERS)('the module in durable mode (BullMQ on a real Redis, %s)', (adapter) => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function boot(prefix: string, worker = true): Promise<{ app: INestApplication; url: string; recorder: FixtureRecorder }> {
    const spoolDir = mkdtempSync(join(tmpdir(), 'amity-spool-'));
    const booted = await createFixtureApp('forRootAsync', { secrets: SECRET, queue: { connection: await testRedisUrl(), prefix, worker, spoolDir } }, false, adapter);
    apps.push(booted.app);
    return booted;
  }

  it('acknowledges once stored and delivers to @OnAmityEvent and @OnEvent listeners with the delivery id', async () => {
    const { app, url, recorder } = await boot(`t-${randomUUID()}`);
    expect((await postSigned(url, message('d1'), SECRET)).status).toBe(200);
    await until(() => recorder.messages.length === 1 && recorder.all.length === 1);
    expect(app.get(AmityWebhookDispatcher).stats).toMatchObject({ accepted: 1, dispatched: 1 });
    expect(recorder.messages[0]!.id).toMatch(/^[\w-]{43}$/);
    expect(recorder.all[0]!.id).toBe(recorder.messages[0]!.id);
  });

  it('two instances on one prefix, each delivery sent to both: each handled exactly once', async () => {
    const prefix = `t-${randomUUID()}`;
    const one = await boot(prefix);
    const two = await boot(prefix);
    for (let i = 0; i < 20; i++) {
      const [a, b] = await Promise.all([postSigned(one.url, message(`x${i}`), SECRET), postSigned(two.url, message(`x${i}`), SECRET)]);
      expect([a.status, b.status]).toEqual([200, 200]);
    }
    await until(() => one.recorder.messages.length + two.recorder.messages.length >= 20);
    await new Promise((r) => setTimeout(r, 300));
    const handled = [...one.recorder.messages, ...two.recorder.messages].map((e) => e.data.messages[0]!.messageId).sort();
    expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => `x${i}`).sort());
    const stats = [one, two].map((b) => b.app.get(AmityWebhookDispatcher).stats);
    expect(stats[0]!.accepted + stats[1]!.accepted).toBe(20);
    expect(stats[0]!.duplicates + stats[1]!.duplicates).toBe(20);
  });

  it('a receive-only instance stores, a worker-only instance handles', async () => {
    const prefix = `t-${randomUUID()}`;
    const receiver = await boot(prefix, false);
    const worker = await boot(prefix, true);
    expect((await postSigned(receiver.url, message('r1'), SECRET)).status).toBe(200);
    await until(() => worker.recorder.messages.length === 1);
    expect(receiver.recorder.messages).toHaveLength(0);
  });
});
