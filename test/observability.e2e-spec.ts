import { afterEach, describe, expect, it } from '@jest/globals';
import { messageEvent, webhookBody } from './support/amity-payload.factory.js';
import { startSampleApp, type SampleApp, type SampleAppEnv } from './support/sample-app.harness.js';
import { postLegacyDuplicate, postSigned, postWebhook } from './support/webhook.client.js';

const SECRET = 'observability-e2e-secret';

/** Boots the sample app with `ADMIN_*` set for the boot only (the harness manages the other variables). */
async function startWithAdmin(admin: { ADMIN_USERNAME?: string; ADMIN_PASSWORD?: string }, env: SampleAppEnv = {}): Promise<SampleApp> {
  const saved = { ADMIN_USERNAME: process.env['ADMIN_USERNAME'], ADMIN_PASSWORD: process.env['ADMIN_PASSWORD'] };
  for (const key of ['ADMIN_USERNAME', 'ADMIN_PASSWORD'] as const) {
    if (admin[key] === undefined) delete process.env[key];
    else process.env[key] = admin[key];
  }
  try {
    return await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET, ...env });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The value of each sample of `metric` in Prometheus text, keyed by its label set as written. */
function samples(text: string, metric: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${metric}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) out[match[1] ?? ''] = Number(match[2]);
  }
  return out;
}

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('sample app: GET /metrics, GET /health and the dashboard access rules', () => {
  let sample: SampleApp | undefined;
  afterEach(async () => {
    await sample?.app.close();
    sample = undefined;
  });

  it('a signed delivery, its duplicate, two forged requests and a legacy twin move exactly the right counters', async () => {
    sample = await startWithAdmin({});
    const body = messageEvent();
    expect((await postSigned(sample.url, body, SECRET)).status).toBe(200);
    expect((await postSigned(sample.url, body, SECRET)).status).toBe(200);
    expect((await postSigned(sample.url, messageEvent(), 'forged-secret')).status).toBe(401);
    expect((await postWebhook(sample.url, messageEvent(), { 'x-amity-signature': 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(401);
    expect((await postLegacyDuplicate(sample.url, body, SECRET)).status).toBe(200);
    await sample.dispatcher.onIdle();

    const response = await fetch(`${sample.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(samples(text, 'amity_webhook_requests_total')).toEqual({
      '{outcome="accepted",status="200"}': 1,
      '{outcome="duplicate",status="200"}': 1,
      '{outcome="rejected",status="401"}': 2,
      '{outcome="legacy_duplicate",status="200"}': 1,
    });
    expect(samples(text, 'amity_webhook_events_dispatched_total')).toEqual({ '{event="message.didCreate"}': 1 });
    expect(samples(text, 'amity_webhook_ack_duration_seconds_count')).toEqual({ '': 5 });
    expect(samples(text, 'amity_webhook_backlog')).toEqual({ '': 0 });
    expect(samples(text, 'amity_webhook_handler_failures_total')).toEqual({});
    // Node's own metrics are on the same registry.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('folds event names outside the catalogue into one label value', async () => {
    sample = await startWithAdmin({});
    for (const name of ['made.up.one', 'made.up.two', 'story.didCreate']) {
      expect((await postSigned(sample.url, webhookBody(name, { n: 1 }), SECRET)).status).toBe(200);
    }
    await sample.dispatcher.onIdle();
    const text = await (await fetch(`${sample.url}/metrics`)).text();
    expect(samples(text, 'amity_webhook_events_dispatched_total')).toEqual({ '{event="other"}': 3 });
  });

  it('GET /health answers terminus JSON, ok in memory mode', async () => {
    sample = await startWithAdmin({});
    const response = await fetch(`${sample.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      info: { 'amity-webhook': { status: 'up', mode: 'memory', backlog: 0, maxBacklog: 10_000 } },
      error: {},
      details: { 'amity-webhook': { status: 'up', mode: 'memory', backlog: 0, maxBacklog: 10_000 } },
    });
  });

  it('in development without credentials the dashboard is open on loopback', async () => {
    sample = await startWithAdmin({}, { NODE_ENV: 'development' });
    const page = await fetch(`${sample.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/dashboard/app.js"></script>');
    const data = (await (await fetch(`${sample.url}/dashboard/data`)).json()) as { mode: string; deadLetters: unknown };
    expect(data).toMatchObject({ mode: 'memory', deadLetters: null });
    // Nothing to replay without the durable queue.
    const replay = await fetch(`${sample.url}/dashboard/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(replay.status).toBe(404);
  });

  it('with ADMIN_USERNAME and ADMIN_PASSWORD the dashboard needs them; /metrics and /health stay open', async () => {
    sample = await startWithAdmin({ ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'correct horse' }, { NODE_ENV: 'production' });
    for (const path of ['/', '/dashboard/data', '/dashboard/app.js']) {
      const refused = await fetch(`${sample.url}${path}`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect((await fetch(`${sample.url}${path}`, { headers: basic('ops', 'wrong') })).status).toBe(401);
      expect((await fetch(`${sample.url}${path}`, { headers: basic('ops', 'correct horse') })).status).toBe(200);
    }
    // The replay action only takes JSON, so a cross-site form cannot trigger it.
    const form = await fetch(`${sample.url}/dashboard/replay`, {
      method: 'POST',
      headers: { ...basic('ops', 'correct horse'), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(400);
    expect((await fetch(`${sample.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${sample.url}/health`)).status).toBe(200);
  });

  it('in production without credentials the dashboard is not served at all', async () => {
    sample = await startWithAdmin({}, { NODE_ENV: 'production' });
    for (const path of ['/', '/dashboard/data', '/dashboard/app.js']) expect((await fetch(`${sample.url}${path}`)).status).toBe(404);
    expect((await fetch(`${sample.url}/dashboard/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await fetch(`${sample.url}/metrics`)).status).toBe(200);
  });

  it('one admin credential without the other stops the boot', async () => {
    await expect(startWithAdmin({ ADMIN_USERNAME: 'ops' })).rejects.toThrow(/ADMIN_USERNAME and ADMIN_PASSWORD go together/);
  });
});
