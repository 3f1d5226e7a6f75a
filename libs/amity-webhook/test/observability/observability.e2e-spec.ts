import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import * as otel from '@opentelemetry/api';
import * as prom from 'prom-client';
import { AmityWebhookDispatcher, AmityWebhookHealthIndicator, type FixtureModeOptions } from './observability.helpers.js';
import { createFixtureApp, FIXTURE_ADAPTERS, type FixtureMode, type FixtureRecorder } from '../fixture/fixture.app.js';
import { postSigned, rawPost } from '../fixture/http.js';

const SECRET = 'observability-secret';
const message = (id: string): string =>
  JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: id, channelId: 'c', userId: 'u', data: { text: 'hi' } }], users: [] } });
const legacyTwin = (url: string, body: string) =>
  rawPost(url, '/webhooks/amity', { 'content-type': 'application/json', 'x-eko-signature': 'legacy' }, body);

/** The samples of one metric, as `labels -> value`. */
async function samples(registry: prom.Registry, name: string): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  const out: Record<string, number> = {};
  for (const { labels, value } of (await metric.get()).values) {
    out[Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(',')] = value;
  }
  return out;
}

describe.each(FIXTURE_ADAPTERS)('metrics, traces and health through the module (%s)', (adapter) => {
  let app: INestApplication | undefined;
  let recorder: FixtureRecorder;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    otel.trace.disable();
  });

  const boot = async (mode: FixtureMode, options: FixtureModeOptions) => {
    const started = await createFixtureApp(mode, { secrets: SECRET, ...options }, false, adapter);
    app = started.app;
    recorder = started.recorder;
    return started.url;
  };

  it('a delivery, its duplicate, two forged requests and a legacy twin move exactly their counters', async () => {
    const registry = new prom.Registry();
    const url = await boot('forRoot', { metrics: { registry } });
    const body = message('m-1');
    expect((await postSigned(url, body, SECRET)).status).toBe(200);
    expect((await postSigned(url, body, SECRET)).status).toBe(200);
    expect((await postSigned(url, message('m-2'), 'forged')).status).toBe(401);
    expect((await rawPost(url, '/webhooks/amity', { 'content-type': 'application/json' }, message('m-3'))).status).toBe(401);
    expect((await legacyTwin(url, body)).status).toBe(200);
    await app!.get(AmityWebhookDispatcher).onIdle();

    expect(await samples(registry, 'amity_webhook_requests_total')).toEqual({
      'outcome=accepted,status=200': 1,
      'outcome=duplicate,status=200': 1,
      'outcome=rejected,status=401': 2,
      'outcome=legacy_duplicate,status=200': 1,
    });
    expect(await samples(registry, 'amity_webhook_events_dispatched_total')).toEqual({ 'event=message.didCreate': 1 });
    expect(await samples(registry, 'amity_webhook_invalid_total')).toEqual({});
    expect(await samples(registry, 'amity_webhook_handler_failures_total')).toEqual({});
    expect(await samples(registry, 'amity_webhook_backlog')).toEqual({ '': 0 });
    const text = await registry.metrics();
    expect(text).toContain('amity_webhook_ack_duration_seconds_count 5');
    expect(text).not.toContain('amity_webhook_dead_letters');
  });

  it('counts failures by listener and folds unknown events; forRootAsync with metrics: true uses the default registry and leaves it clean', async () => {
    const url = await boot('forRootAsync', { metrics: true, retries: 1, retryDelayMs: 1 });
    recorder.failWith = 'throw';
    expect((await postSigned(url, message('fails'), SECRET)).status).toBe(200);
    expect((await postSigned(url, JSON.stringify({ event: 'story.didInvent', data: {} }), SECRET)).status).toBe(200);
    expect((await postSigned(url, JSON.stringify({ event: 'message.didCreate', data: { messages: 'nope' } }), SECRET)).status).toBe(200);
    await app!.get(AmityWebhookDispatcher).onIdle();
    expect(await samples(prom.register, 'amity_webhook_events_dispatched_total')).toMatchObject({ 'event=other': 1 });
    expect(await samples(prom.register, 'amity_webhook_invalid_total')).toEqual({ 'event=message.didCreate': 1 });
    // One call and its retry.
    expect(await samples(prom.register, 'amity_webhook_handler_failures_total')).toEqual({
      'listener=FixtureRecorder.onMessage,event=message.didCreate': 2,
    });
    await app!.close();
    app = undefined;
    expect(prom.register.getMetricsAsArray().filter((m) => m.name.startsWith('amity_webhook_'))).toEqual([]);
  });

  it('reports a receive span and a dispatch span per listener, in one trace per delivery', async () => {
    const spans: Array<{ name: string; attributes: otel.Attributes; traceId: string | undefined }> = [];
    const tracer = {
      startSpan(name: string, options: otel.SpanOptions = {}, context?: otel.Context) {
        spans.push({ name, attributes: options.attributes ?? {}, traceId: context && otel.trace.getSpanContext(context)?.traceId });
        return otel.trace.wrapSpanContext(otel.INVALID_SPAN_CONTEXT);
      },
    } as unknown as otel.Tracer;
    otel.trace.setGlobalTracerProvider({ getTracer: () => tracer });
    const url = await boot('forRoot', {});
    expect((await postSigned(url, message('traced'), SECRET)).status).toBe(200);
    await app!.get(AmityWebhookDispatcher).onIdle();

    const receive = spans.filter((s) => s.name === 'amity-webhook receive');
    const dispatch = spans.filter((s) => s.name === 'amity-webhook dispatch');
    expect(receive).toHaveLength(1);
    expect(receive[0]!.attributes).toMatchObject({ 'amity_webhook.outcome': 'accepted', 'http.response.status_code': 200 });
    expect(dispatch.map((s) => s.attributes['amity_webhook.listener'])).toContain('FixtureRecorder.onMessage');
    expect(new Set([...receive, ...dispatch].map((s) => s.traceId))).toEqual(new Set([receive[0]!.traceId]));
    expect(receive[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is healthy in memory mode while the backlog is under its bound', async () => {
    await boot('forRoot', { maxQueueSize: 5 });
    expect(await app!.get(AmityWebhookHealthIndicator).isHealthy()).toEqual({
      'amity-webhook': { status: 'up', mode: 'memory', backlog: 0, maxBacklog: 5 },
    });
  });
});
