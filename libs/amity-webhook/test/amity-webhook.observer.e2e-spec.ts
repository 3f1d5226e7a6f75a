import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { AmityWebhookDispatcher, AmityWebhookStats, type AmityListenerCalled, type AmityRequestAnswered } from '../src/index.js';
import { CapturingLogger, createFixtureApp, FIXTURE_ADAPTERS, type FixtureRecorder } from './fixture/fixture.app.js';
import { postSigned, rawPost } from './fixture/http.js';

const SECRET = 'observer-secret';
const message = (id: string): string =>
  JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: id, channelId: 'c', userId: 'u', data: { text: 'hi' } }], users: [] } });

describe.each(FIXTURE_ADAPTERS)('observers see every answer and every listener call (%s)', (adapter) => {
  let app: INestApplication;
  let url: string;
  let recorder: FixtureRecorder;
  const answered: AmityRequestAnswered[] = [];
  const calls: AmityListenerCalled[] = [];

  afterEach(async () => {
    answered.length = 0;
    calls.length = 0;
    // Closing twice is harmless: Nest runs the shutdown sequence once per cycle.
    await app.close();
  });

  it('classifies accepted, duplicate, legacy twin, forged and full', async () => {
    ({ app, url, recorder } = await createFixtureApp('forRoot', { secrets: SECRET, maxQueueSize: 2, retries: 0 }, false, adapter));
    const stats = app.get(AmityWebhookStats);
    const stop = stats.observe({ requestAnswered: (r) => answered.push(r), listenerCalled: (c) => calls.push(c) });
    stats.observe({
      requestAnswered: () => {
        throw new Error('a broken observer changes nothing');
      },
    });
    recorder.delayMs = 200;
    expect((await postSigned(url, message('a'), SECRET)).status).toBe(200);
    expect((await postSigned(url, message('a'), SECRET)).status).toBe(200);
    expect((await rawPost(url, '/webhooks/amity', { 'content-type': 'application/json', 'x-eko-signature': 'legacy' }, message('a'))).status).toBe(200);
    expect((await postSigned(url, message('b'), 'forged')).status).toBe(401);
    expect((await postSigned(url, message('c'), SECRET)).status).toBe(200);
    expect((await postSigned(url, message('d'), SECRET)).status).toBe(503);
    await app.get(AmityWebhookDispatcher).onIdle();
    await new Promise((r) => setTimeout(r, 50));
    expect(answered.map((r) => [r.outcome, r.status])).toEqual([
      ['accepted', 200],
      ['duplicate', 200],
      ['legacy_duplicate', 200],
      ['rejected', 401],
      ['accepted', 200],
      ['refused', 503],
    ]);
    expect(answered[0]).toMatchObject({ event: 'message.didCreate', deliveryId: expect.stringMatching(/^[\w-]{43}$/) });
    expect(answered.every((r) => r.durationSeconds > 0 && r.durationSeconds < 1.5)).toBe(true);
    const typed = calls.filter((c) => c.listener === 'FixtureRecorder.onMessage');
    expect(typed.map((c) => [c.name, c.outcome, c.attempt])).toEqual([
      ['amity.message.didCreate', 'succeeded', 1],
      ['amity.message.didCreate', 'succeeded', 1],
    ]);
    expect(typed[0]!.durationSeconds).toBeGreaterThanOrEqual(0.19);
    stop();
    expect((await postSigned(url, message('e'), SECRET)).status).toBe(200);
    await app.get(AmityWebhookDispatcher).onIdle();
    expect(answered).toHaveLength(6);
  });

  it('leaves operators a warning for three requests signed with a rotated-away secret, never the signature or a secret', async () => {
    const logger = new CapturingLogger();
    ({ app, url, recorder } = await createFixtureApp('forRoot', { secrets: SECRET }, logger, adapter));
    app.useLogger(logger);
    for (let i = 0; i < 3; i++) expect((await postSigned(url, message(`r${i}`), 'old-rotated-secret')).status).toBe(401);
    const warnings = logger.lines.filter((l) => l.level === 'warn' && l.text.includes('401 bad signature'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toMatch(/header x-amity-signature, 44 chars/);
    const everything = logger.lines.map((l) => l.text).join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('old-rotated-secret');
    expect(app.get(AmityWebhookStats).rejected).toBe(3);
    // The summary with the count comes at the interval (a minute) or when the app closes.
    await app.close();
    expect(logger.lines.some((l) => l.level === 'warn' && /401 bad signature x2/.test(l.text))).toBe(true);
  });
});
