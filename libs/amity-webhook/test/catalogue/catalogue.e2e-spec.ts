import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import {
  AMITY_EVENT_REGISTRY,
  AMITY_CURRENT_EVENT_NAMES,
  AMITY_WEBHOOK_EVENT_NAMES,
  type AmityPushNotificationEvent,
  type AmityWebhookEvent,
} from '../../src/index.js';
import { amityFixture, createAmityEventRecorder, sendAmityWebhook, type AmityEventRecorder } from '../../src/testing/index.js';
import { CapturingLogger, FIXTURE_ADAPTERS, createFixtureApp, type FixtureRecorder } from '../fixture/fixture.app.js';

const SECRET = 'catalogue-secret';

describe.each(FIXTURE_ADAPTERS)('every catalogued event round-trips on %s', (adapter) => {
  let app: INestApplication;
  let recorder: AmityEventRecorder;
  // The fixture app's own @OnEvent('amity.**') listener, beside the kit's recorder.
  let listener: FixtureRecorder;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ app, recorder: listener } = await createFixtureApp('forRoot', { secrets: SECRET }, logger, adapter));
    recorder = createAmityEventRecorder(app);
  });
  afterAll(async () => {
    recorder.stop();
    await app.close();
  });
  beforeEach(() => {
    recorder.clear();
    listener.all.length = 0;
  });

  it.each([...AMITY_WEBHOOK_EVENT_NAMES])('%s: fixture -> signed request -> 200 {} -> typed, validated domain event', async (name) => {
    const fixture = amityFixture(name);
    const response = await sendAmityWebhook(app, fixture, { secret: SECRET });
    expect([response.status, response.body]).toEqual([200, '{}']);
    const [event] = await recorder.waitFor<AmityWebhookEvent>(`amity.${name}`);
    expect(event).toMatchObject({ event: name, wireEvent: name, known: true, webhook: { index: 0 } });
    expect(event!.data).toBeInstanceOf(AMITY_EVENT_REGISTRY[name].dto);
    expect(event!.subject).toBeDefined();
    expect(typeof event!.actorId).toBe(AMITY_EVENT_REGISTRY[name].actor ? 'string' : 'undefined');
    await recorder.drain();
    expect(listener.all).toEqual([event]);
    expect(recorder.payloads('amity-webhook.invalid')).toEqual([]);
  });


  it('covers every current event of the catalogue', () => {
    expect(AMITY_CURRENT_EVENT_NAMES).toHaveLength(81);
  });
});

describe('vendor quirks, end to end', () => {
  let app: INestApplication;
  let recorder: AmityEventRecorder;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ app } = await createFixtureApp('forRoot', { secrets: SECRET }, logger));
    recorder = createAmityEventRecorder(app);
  });
  afterAll(() => app.close());
  beforeEach(() => recorder.clear());

  // A separate app from the round-trip above: identical bodies are deduplicated by delivery id.
  it('sends a fixture by event name alone', async () => {
    expect((await sendAmityWebhook(app, 'v3.comment.didReply', { secret: SECRET })).status).toBe(200);
    const [event] = await recorder.waitFor<AmityWebhookEvent<'v3.comment.didReply'>>('amity.v3.comment.didReply');
    expect(event!.subject?.commentId).toBe('cmt-reply-77');
    expect(event!.actor).toBeUndefined();
    expect(event!.actorId).toBe('ada.lovelace');
  });

  it('delivers the old follow.didDecineRequest spelling as follow.didDeclineRequest', async () => {
    const body = { ...amityFixture('follow.didDeclineRequest'), event: 'follow.didDecineRequest' };
    expect((await sendAmityWebhook(app, body, { secret: SECRET })).status).toBe(200);
    const [event] = await recorder.waitFor<AmityWebhookEvent<'follow.didDeclineRequest'>>('amity.follow.didDeclineRequest');
    expect(event).toMatchObject({ wireEvent: 'follow.didDecineRequest', actorId: 'yuki.tanaka' });
  });

  it('delivers social events sent without the v3. prefix under their v3. name', async () => {
    const body = { ...amityFixture('v3.post.didCreate'), event: 'post.didCreate' };
    await sendAmityWebhook(app, body, { secret: SECRET });
    const [event] = await recorder.waitFor<AmityWebhookEvent<'v3.post.didCreate'>>('amity.v3.post.didCreate');
    expect(event!.subject?.postId).toBe('post-9f8e7d6c5b4a');
    expect(event!.actor?.displayName).toBe('Ada Lovelace 👩‍💻');
  });

  it('delivers a v5 layout sent as message.didCreate as v5.message.didCreate', async () => {
    const body = { ...amityFixture('v5.message.didCreate'), event: 'message.didCreate' };
    await sendAmityWebhook(app, body, { secret: SECRET });
    const [event] = await recorder.waitFor<AmityWebhookEvent<'v5.message.didCreate'>>('amity.v5.message.didCreate');
    expect(event!.data.messageFeeds).toHaveLength(1);
    expect(event!.actorId).toBe('ada.lovelace');
  });

  it('accepts v5 payloads with the spec\'s swapped item layouts', async () => {
    const fixture = amityFixture('v5.message.didUpdate');
    const swapped = { event: 'v5.message.didUpdate', data: { ...fixture.data, messages: fixture.data.messageFeeds, messageFeeds: fixture.data.messages } };
    expect((await sendAmityWebhook(app, swapped, { secret: SECRET })).status).toBe(200);
    const [event] = await recorder.waitFor<AmityWebhookEvent<'v5.message.didUpdate'>>('amity.v5.message.didUpdate');
    expect(event!.data.messages[0]).toHaveProperty('messageFeedId');
  });

  it('normalises channel as object or array and hashflag or hashFlag, keeping unknown fields', async () => {
    // The fixture sends channel as an object, like the vendor's own sample.
    const fixture = amityFixture('channel.didJoin');
    const channel = fixture.data.channel as unknown as Record<string, unknown>;
    expect(Array.isArray(channel)).toBe(false);
    const body = {
      event: 'channel.didJoin',
      data: { ...fixture.data, channel: { ...channel, brandNew: '✨' }, users: [{ userId: 'u', hashflag: { bits: 3 } }] },
    };
    await sendAmityWebhook(app, body, { secret: SECRET });
    const [event] = await recorder.waitFor<AmityWebhookEvent<'channel.didJoin'>>('amity.channel.didJoin');
    expect(Array.isArray(event!.data.channel)).toBe(true);
    expect((event!.data.channel[0] as unknown as Record<string, unknown>)['brandNew']).toBe('✨');
    expect(event!.data.users[0]!.hashFlag?.bits).toBe(3);
  });

  it('keeps message.didClearflag and user.didClearFlag apart', async () => {
    await sendAmityWebhook(app, amityFixture('message.didClearflag'), { secret: SECRET });
    await sendAmityWebhook(app, amityFixture('user.didClearFlag'), { secret: SECRET });
    expect(await recorder.waitFor('amity.message.didClearflag')).toHaveLength(1);
    expect(await recorder.waitFor('amity.user.didClearFlag')).toHaveLength(1);
    // The other spelling of each is not a known event.
    await sendAmityWebhook(app, { event: 'message.didClearFlag', data: amityFixture('message.didClearflag').data }, { secret: SECRET });
    const [unknown] = await recorder.waitFor<{ known: boolean }>('amity.message.didClearFlag');
    expect(unknown!.known).toBe(false);
  });

  it('accepts file.didDelete with its top-level networkId and data being the file itself', async () => {
    const fixture = amityFixture('file.didDelete');
    expect(fixture.networkId).toBeDefined();
    await sendAmityWebhook(app, fixture, { secret: SECRET });
    const [event] = await recorder.waitFor<AmityWebhookEvent<'file.didDelete'>>('amity.file.didDelete');
    expect(event!.subject?.fileId).toBe('f-7d3e9a11c2b84f6e');
  });

  it('emits deprecated names under their own name and warns once per name with the current one', async () => {
    logger.lines.length = 0;
    const data = amityFixture('message.didCreate').data;
    await sendAmityWebhook(app, { event: 'message.created', data }, { secret: SECRET });
    await sendAmityWebhook(app, { event: 'message.created', data: { ...data, users: [] } }, { secret: SECRET });
    await recorder.waitFor('amity.message.created', { count: 2 });
    const warnings = logger.lines.filter((l) => l.level === 'warn' && l.text.includes('deprecated event "message.created"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toMatch(/handle "message.didCreate" instead/);
  });

  it('emits a custom push-notification delivery under amity-push.<eventName>, not as invalid', async () => {
    const push = {
      eventType: 'push-notification.created',
      id: 'pn-1',
      networkId: '6848030d11c7e8b56c3570b5',
      path: '/push',
      senderId: 'ada.lovelace',
      sentTime: '2026-11-22T08:15:30.123Z',
      version: '1',
      data: { eventName: 'post.created', isBroadcast: false, targetIds: ['yuki.tanaka'], notify: true, title: 'New post', body: '新しい投稿 📝' },
    };
    expect((await sendAmityWebhook(app, push, { secret: SECRET })).status).toBe(200);
    const [event] = await recorder.waitFor<AmityPushNotificationEvent>('amity-push.post.created');
    expect(event).toMatchObject({ name: 'post.created', payload: push });
    await recorder.drain();
    expect(recorder.payloads('amity-webhook.invalid')).toEqual([]);
  });
});
