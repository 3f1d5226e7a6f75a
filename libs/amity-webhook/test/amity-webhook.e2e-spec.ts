import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AmityMessageDto,
  AmityWebhookConfigError,
  AmityWebhookDispatcher,
  AmityWebhookModule,
  signAmityPayload,
  type AmityWebhookModuleOptions,
} from '../src/index.js';
import {
  CapturingLogger,
  FIXTURE_ADAPTERS,
  createFixtureApp,
  type FixtureAdapter,
  type FixtureMode,
  type FixtureRecorder,
} from './fixture/fixture.app.js';
import { postSigned, rawPost } from './fixture/http.js';

const PRIMARY = 'e2e-primary-secret-4f1c';
const ROTATED = 'e2e-rotated-secret-9b2d';
const PATH = '/webhooks/amity';

let sequence = 0;
/** A unique message.didCreate body (identical bodies would be suppressed as duplicates). */
function messageBody(messageId = `msg-${++sequence}`, text = 'héllo wörld 👋 你好'): string {
  return JSON.stringify({
    event: 'message.didCreate',
    data: {
      messages: [{ messageId, channelId: 'ch-1', userId: 'user-1', type: 'text', data: { text }, createdAt: '2026-11-22T08:00:00.000Z' }],
      users: [{ userId: 'user-1', displayName: 'Ada', hashflag: { bits: 0, hashes: 0, hash: [] } }],
    },
  });
}

const CASES = FIXTURE_ADAPTERS.flatMap((adapter) => (['forRoot', 'forRootAsync'] as const).map((mode) => [mode, adapter] as const));

describe.each<readonly [FixtureMode, FixtureAdapter]>(CASES)('AmityWebhookModule.%s over HTTP on %s', (mode, adapter) => {
  let app: INestApplication;
  let url: string;
  let recorder: FixtureRecorder;
  let dispatcher: AmityWebhookDispatcher;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ app, url, recorder } = await createFixtureApp(
      mode,
      { secrets: [PRIMARY, { secret: ROTATED, label: 'rotation' }], bodyLimit: 4096 },
      logger,
      adapter,
    ));
    app.useLogger(logger);
    dispatcher = app.get(AmityWebhookDispatcher);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    recorder.all.length = 0;
    recorder.messages.length = 0;
    recorder.invalid.length = 0;
    recorder.failWith = undefined;
    recorder.delayMs = 0;
    logger.lines.length = 0;
  });

  it('answers 200 with the JSON body {} and emits a typed, validated domain event', async () => {
    const body = messageBody();
    const res = await postSigned(url, body, PRIMARY);
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    await dispatcher.onIdle();
    expect(recorder.messages).toHaveLength(1);
    const event = recorder.messages[0]!;
    expect(event).toMatchObject({ event: 'message.didCreate', known: true, webhook: { index: 0, label: 'webhook-0' } });
    expect(event.receivedAt).toBeInstanceOf(Date);
    expect(event.data.messages[0]).toBeInstanceOf(AmityMessageDto);
    expect(event.data.messages[0]!.data?.text).toBe('héllo wörld 👋 你好');
    expect(event.data.users[0]!.hashFlag).toEqual({ bits: 0, hashes: 0, hash: [] });
    expect(recorder.all.map((e) => e.event)).toEqual(['message.didCreate']);
  });

  it('reports which secret matched, by index and label, for a rotated secret', async () => {
    const res = await postSigned(url, messageBody(), ROTATED);
    expect(res.status).toBe(200);
    await dispatcher.onIdle();
    expect(recorder.messages[0]!.webhook).toEqual({ index: 1, label: 'rotation' });
  });

  it('verifies the raw bytes: the same JSON re-serialised with the original signature is rejected', async () => {
    const original = JSON.stringify(JSON.parse(messageBody()), null, 2);
    const signature = signAmityPayload(original, PRIMARY);
    const reserialised = JSON.stringify(JSON.parse(original));
    const res = await rawPost(url, PATH, { 'content-type': 'application/json', 'x-amity-signature': signature }, reserialised);
    expect(res.status).toBe(401);
    const ok = await rawPost(url, PATH, { 'content-type': 'application/json', 'x-amity-signature': signature }, original);
    expect(ok.status).toBe(200);
    await dispatcher.onIdle();
    expect(recorder.all).toHaveLength(1);
  });

  it('reads the signature header case-insensitively', async () => {
    const body = messageBody();
    const res = await rawPost(url, PATH, { 'Content-Type': 'application/json', 'X-AMITY-SIGNATURE': signAmityPayload(body, PRIMARY) }, body);
    expect(res.status).toBe(200);
    await dispatcher.onIdle();
    expect(recorder.messages).toHaveLength(1);
  });

  it.each<[string, Record<string, string>]>([
    ['missing', {}],
    ['malformed', { 'x-amity-signature': 'definitely-not-base64' }],
    ['signed with another secret', { 'x-amity-signature': signAmityPayload(messageBody(), 'some-other-secret') }],
    ['a hex digest', { 'x-amity-signature': 'ab'.repeat(32) }],
  ])('answers 401 with a short JSON error and dispatches nothing when the signature is %s', async (_case, headers) => {
    const res = await rawPost(url, PATH, { 'content-type': 'application/json', ...headers }, messageBody());
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/x-amity-signature/) });
    await dispatcher.onIdle();
    expect(recorder.all).toHaveLength(0);
  });

  it('acknowledges a legacy x-eko-signature duplicate with 200 {} and does not dispatch it', async () => {
    logger.lines.length = 0;
    const res = await rawPost(url, PATH, { 'content-type': 'application/json', 'x-eko-signature': 'legacy-signature' }, messageBody());
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    await dispatcher.onIdle();
    expect(recorder.all).toHaveLength(0);
    expect(logger.lines.some((l) => l.level === 'debug' && /legacy x-eko-signature/.test(l.text))).toBe(true);
  });

  describe('bad input gets a specific 4xx, never a 5xx', () => {
    /** Set by a case whose request is valid: every other case must dispatch nothing. */
    let dispatches = false;
    beforeEach(() => {
      dispatches = false;
    });
    /** Each case ends here: bad input dispatches nothing, whether valid or invalid. */
    const checkDispatched = async (): Promise<void> => {
      await dispatcher.onIdle();
      expect(recorder.all).toHaveLength(dispatches ? 1 : 0);
      expect(recorder.invalid).toHaveLength(0);
    };
    afterEach(checkDispatched);

    it('400 for signed malformed JSON', async () => {
      const res = await postSigned(url, '{"event": "message.didCreate", "data": {', PRIMARY);
      expect(res.status).toBe(400);
      // Fastify's JSON parser answers before the guard; on Express the receiver parses after it.
      expect(JSON.parse(res.body).message).toMatch(/JSON/);
    });

    it('400 for a signed body that is not an envelope', async () => {
      const res = await postSigned(url, '[1,2,3]', PRIMARY);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).message).toMatch(/"event"/);
    });

    it('413 for a body over the configured limit, before reading it all', async () => {
      const body = JSON.stringify({ event: 'message.didCreate', data: { pad: 'x'.repeat(5000) } });
      const res = await postSigned(url, body, PRIMARY);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).message).toBe('Body exceeds the limit of 4096 bytes');
    });

    it('415 for a non-JSON content type', async () => {
      const body = messageBody();
      const res = await rawPost(url, PATH, { 'content-type': 'text/plain', 'x-amity-signature': signAmityPayload(body, PRIMARY) }, body);
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body).message).toBe('Content-Type must be application/json');
    });

    it('accepts JSON with a charset parameter', async () => {
      const body = messageBody();
      const res = await rawPost(url, PATH, { 'content-type': 'application/json; charset=utf-8', 'x-amity-signature': signAmityPayload(body, PRIMARY) }, body);
      expect(res.status).toBe(200);
      dispatches = true;
    });

    it('400 for an empty signed body and 401 for an empty unsigned one', async () => {
      const signed = await rawPost(url, PATH, { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload('', PRIMARY) }, '');
      expect(signed.status).toBe(400);
      const unsigned = await rawPost(url, PATH, {}, '');
      expect(unsigned.status).toBe(401);
    });

    it.each(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])('405 with Allow: POST for %s', async (method) => {
      const res = await rawPost(url, PATH, {}, '', method);
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('POST');
      expect(logger.lines.some((l) => l.level === 'debug' && l.text.includes('405 method not allowed'))).toBe(true);
    });
  });

  it('never lets a slow handler delay the 200', async () => {
    recorder.delayMs = 1200;
    const started = performance.now();
    const res = await postSigned(url, messageBody('slow'), PRIMARY);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(600);
    expect(recorder.messages).toHaveLength(0);
    await dispatcher.onIdle();
    expect(recorder.messages.map((e) => e.data.messages[0]!.messageId)).toEqual(['slow']);
  });

  it.each(['throw', 'reject'] as const)('logs a handler that %ss with its stack; the response, other listeners and the process are unaffected', async (failWith) => {
    recorder.failWith = failWith;
    const res = await postSigned(url, messageBody(`boom-${failWith}`), PRIMARY);
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    await dispatcher.onIdle();
    expect(recorder.all.map((e) => e.event)).toEqual(['message.didCreate']);
    // Attempts that will be retried are one-line warnings; the last one is an error with the stack.
    const reports = logger.lines.filter((l) => (l.level === 'error' || l.level === 'warn') && l.text.includes('amity.message.didCreate failed'));
    expect(reports.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
    expect(reports[0]!.text).toMatch(/^FixtureRecorder\.onMessage of amity\.message\.didCreate failed on attempt 1 \(delivery [\w-]+\): .*; retrying \(attempt 2 of 3\)( \| AmityWebhook)?$/);
    expect(reports[0]!.text).not.toMatch(/\n\s+at /);
    const failure = reports[2]!;
    expect(failure.text).toMatch(failWith === 'throw' ? /listener exploded/ : /listener rejected/);
    expect(failure.text).toMatch(/at .*fixture\.app\.ts/);
    expect(failure.text).toMatch(/^FixtureRecorder\.onMessage of amity\.message\.didCreate failed on attempt 3/);
    recorder.failWith = undefined;
    const next = await postSigned(url, messageBody(`after-${failWith}`), PRIMARY);
    expect(next.status).toBe(200);
    await dispatcher.onIdle();
    expect(recorder.messages.map((e) => e.data.messages[0]!.messageId)).toEqual([`after-${failWith}`]);
  });

  it('accepts an unknown event and emits it under amity.<name>, flagged unknown', async () => {
    const body = JSON.stringify({ event: 'story.didCreate', data: { stories: [{ storyId: 's1' }] } });
    const res = await postSigned(url, body, PRIMARY);
    expect(res.status).toBe(200);
    await dispatcher.onIdle();
    expect(recorder.all).toEqual([
      expect.objectContaining({ event: 'story.didCreate', known: false, data: { stories: [{ storyId: 's1' }] } }),
    ]);
  });

  it('accepts a signed but invalid known event and emits it as amity-webhook.invalid, not under amity.', async () => {
    const body = JSON.stringify({ event: 'message.didCreate', data: { messages: [{ channelId: 'ch-1' }] } });
    const res = await postSigned(url, body, PRIMARY);
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    await dispatcher.onIdle();
    expect(recorder.all).toHaveLength(0);
    expect(recorder.invalid).toHaveLength(1);
    expect(recorder.invalid[0]).toMatchObject({ event: 'message.didCreate', payload: JSON.parse(body), webhook: { index: 0 } });
    expect(recorder.invalid[0]!.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['messages.0.messageId', 'messages.0.userId']));
  });

  it('never writes a secret to the logs or a response', async () => {
    const responses = await Promise.all([
      postSigned(url, messageBody(), PRIMARY),
      postSigned(url, messageBody(), 'wrong'),
      postSigned(url, '{bad', ROTATED),
      rawPost(url, PATH, { 'x-eko-signature': 'x' }, '{}'),
    ]);
    recorder.failWith = 'throw';
    await postSigned(url, messageBody(), ROTATED);
    await dispatcher.onIdle();
    const everything = `${logger.text()}\n${responses.map((r) => r.body).join('\n')}`;
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(PRIMARY);
    expect(everything).not.toContain(ROTATED);
  });
});

describe.each(FIXTURE_ADAPTERS)('AmityWebhookModule options on %s', (adapter) => {
  it('strict mode answers 400 with the issues and dispatches nothing', async () => {
    const { app, url, recorder } = await createFixtureApp('forRoot', { secrets: PRIMARY, strict: true }, false, adapter);
    try {
      const bad = await postSigned(url, JSON.stringify({ event: 'message.didCreate', data: { messages: [{}] } }), PRIMARY);
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toMatchObject({ statusCode: 400, message: 'Invalid payload for message.didCreate' });
      const good = await postSigned(url, messageBody(), PRIMARY);
      expect(good.status).toBe(200);
      await app.get(AmityWebhookDispatcher).onIdle();
      expect(recorder.messages).toHaveLength(1);
      expect(recorder.invalid).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('listens on a custom path only', async () => {
    const { app, url } = await createFixtureApp('forRootAsync', { secrets: PRIMARY, path: 'hooks/social-plus' }, false, adapter);
    try {
      expect((await postSigned(url, messageBody(), PRIMARY, '/hooks/social-plus')).status).toBe(200);
      expect((await postSigned(url, messageBody(), PRIMARY, PATH)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it.each<[FixtureMode, AmityWebhookModuleOptions, RegExp]>([
    ['forRoot', { secrets: '' }, /no webhook secret configured/],
    ['forRootAsync', { secrets: '' }, /no webhook secret configured/],
    ['forRoot', { secrets: ['ok', ''] }, /secret #1 is empty/],
    ['forRootAsync', {} as AmityWebhookModuleOptions, /`secrets` is required/],
  ])('%s fails at boot with a message naming the module for bad options (%#)', async (mode, options, message) => {
    const boot = createFixtureApp(mode, options, false, adapter);
    await expect(boot).rejects.toBeInstanceOf(AmityWebhookConfigError);
    await expect(boot).rejects.toThrow(/\[nestjs-amity-webhook\] AmityWebhookModule: /);
    await expect(boot).rejects.toThrow(message);
  });

  it('fails at boot with an actionable message when EventEmitterModule is missing', async () => {
    @Module({ imports: [AmityWebhookModule.forRoot({ secrets: PRIMARY })] })
    class NoEmitterModule {}
    const boot = NestFactory.create<NestFastifyApplication>(NoEmitterModule, new FastifyAdapter(), { logger: false, abortOnError: false });
    await expect(boot).rejects.toThrow(/EventEmitterModule\.forRoot/);
  });
});
