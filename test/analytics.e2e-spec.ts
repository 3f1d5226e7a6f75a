import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { AnalyticsSummary } from '../src/analytics/analytics-summary.interface.js';
import { membershipEvent, messageEvent, webhookBody } from './support/amity-payload.factory.js';
import { startSampleApp, type SampleApp } from './support/sample-app.harness.js';
import { getJson, postLegacyDuplicate, postSigned, postWebhook } from './support/webhook.client.js';

const SECRET = 'analytics-e2e-secret';
const ACK = { status: 200, body: '{}' };

describe('analytics: GET /analytics/summary', () => {
  let sample: SampleApp;
  const summary = () => getJson<AnalyticsSummary>(sample.url, '/analytics/summary');

  beforeEach(async () => {
    sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET });
  });
  afterEach(() => sample.app.close());

  it('starts at zero', async () => {
    expect(await summary()).toEqual({ total: 0, byEvent: {} });
  });

  it('counts every accepted event per wire name, unknown events included', async () => {
    for (const body of [
      messageEvent(),
      messageEvent(),
      membershipEvent('channel.didJoin', 'channel-1', ['user-ada']),
      // Not in the library's catalogue: still accepted and emitted (known: false), so counted.
      webhookBody('story.didCreate', { stories: [{ storyId: 's-1' }] }),
    ]) {
      expect(await postSigned(sample.url, body, SECRET)).toEqual(ACK);
    }
    await sample.dispatcher.onIdle();
    expect(await summary()).toEqual({
      total: 4,
      byEvent: { 'channel.didJoin': 1, 'message.didCreate': 2, 'story.didCreate': 1 },
    });
  });

  it('does not count legacy x-eko-signature duplicates, rejected requests or invalid payloads', async () => {
    const body = messageEvent();
    expect(await postSigned(sample.url, body, SECRET)).toEqual(ACK);
    // social.plus sends each event a second time with only x-eko-signature: acknowledged, ignored.
    expect(await postLegacyDuplicate(sample.url, body, SECRET)).toEqual(ACK);
    expect(await postLegacyDuplicate(sample.url, messageEvent(), SECRET)).toEqual(ACK);
    expect((await postSigned(sample.url, messageEvent(), 'not-the-secret')).status).toBe(401);
    expect((await postWebhook(sample.url, messageEvent(), {})).status).toBe(401);
    // Correctly signed but not a valid message.didCreate: emitted as amity-webhook.invalid only.
    expect(await postSigned(sample.url, webhookBody('message.didCreate', { messages: [{ channelId: 'c-1' }] }), SECRET)).toEqual(ACK);
    await sample.dispatcher.onIdle();

    expect(await summary()).toEqual({ total: 1, byEvent: { 'message.didCreate': 1 } });
    // The library did receive all of them: the counts above are not zero by accident.
    expect(sample.dispatcher.stats).toMatchObject({ accepted: 2, legacyDuplicates: 2, rejected: 2, invalid: 1 });
  });
});
