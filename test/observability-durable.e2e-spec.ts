import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type RedisServerHandle } from '../libs/amity-webhook/test/support/redis-server.js';
import { messageEvent } from './support/amity-payload.factory.js';
import { startSampleApp, type SampleApp } from './support/sample-app.harness.js';
import { postSigned } from './support/webhook.client.js';

const SECRET = 'observability-durable-secret';

interface HealthBody {
  status: string;
  details: Record<string, { status: string; redis?: string; mode?: string; message?: string }>;
}

describe('sample app in durable mode: /health follows Redis, /metrics has the dead-letter gauge', () => {
  let redis: RedisServerHandle;
  let sample: SampleApp;
  let spool: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    spool = await mkdtemp(join(tmpdir(), 'amity-observability-spool-'));
    sample = await startSampleApp({
      AMITY_WEBHOOK_SECRETS: SECRET,
      AMITY_WEBHOOK_REDIS_URL: redis.url,
      AMITY_WEBHOOK_QUEUE_PREFIX: `observability-${process.pid}`,
      AMITY_WEBHOOK_SPOOL_DIR: spool,
    });
  }, 30_000);
  afterAll(async () => {
    await sample?.app.close();
    await redis?.stop();
    await rm(spool, { recursive: true, force: true });
  }, 30_000);

  it('is healthy with Redis up, reports the queue on /metrics, and 503 once Redis is stopped', async () => {
    expect((await postSigned(sample.url, messageEvent(), SECRET)).status).toBe(200);
    await sample.dispatcher.onIdle();

    const up = await fetch(`${sample.url}/health`);
    const upBody = (await up.json()) as HealthBody;
    expect(up.status).toBe(200);
    expect(upBody).toMatchObject({ status: 'ok', details: { 'amity-webhook': { status: 'up', mode: 'durable', redis: 'up' } } });

    const metrics = await (await fetch(`${sample.url}/metrics`)).text();
    expect(metrics).toMatch(/^amity_webhook_dead_letters 0$/m);
    expect(metrics).toMatch(/^amity_webhook_backlog 0$/m);
    expect(metrics).toMatch(/^amity_webhook_requests_total\{outcome="accepted",status="200"\} 1$/m);

    await redis.stop();
    const started = Date.now();
    const down = await fetch(`${sample.url}/health`);
    const downBody = (await down.json()) as HealthBody;
    expect(down.status).toBe(503);
    expect(downBody).toMatchObject({ status: 'error', details: { 'amity-webhook': { status: 'down', mode: 'durable', redis: 'down' } } });
    // The probe answers within its own timeout, not Redis's reconnection schedule.
    expect(Date.now() - started).toBeLessThan(3_000);
    // A scrape still answers: the queue gauges read NaN (unknown) rather than fail the page.
    const scrape = await fetch(`${sample.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/^amity_webhook_dead_letters nan$/im);
  }, 60_000);
});
