import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityItem } from '../src/activity/activity-item.interface.js';
import type { AnalyticsSummary } from '../src/analytics/analytics-summary.interface.js';
import type { ModerationFlag } from '../src/moderation/moderation-flag.interface.js';
import { messageEvent, uniqueId } from './support/amity-payload.factory.js';
import { SAMPLE_APP_ENV_KEYS, startSampleApp, type SampleApp } from './support/sample-app.harness.js';
import { WEBHOOK_PATH, getJson, postSigned } from './support/webhook.client.js';

const SECRET = 'sample-app-e2e-secret';

describe('sample app', () => {
  let sample: SampleApp;
  let envBefore: Record<string, string | undefined>;

  beforeAll(async () => {
    envBefore = Object.fromEntries(SAMPLE_APP_ENV_KEYS.map((key) => [key, process.env[key]]));
    sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET, MODERATION_BANNED_WORDS: 'scam' });
  });
  afterAll(() => sample.app.close());

  it('restores the environment once booted', () => {
    expect(Object.fromEntries(SAMPLE_APP_ENV_KEYS.map((key) => [key, process.env[key]]))).toEqual(envBefore);
  });

  it('initialises the configuration once (the features load their settings through the root ConfigModule)', () => {
    const lines = sample.logger.lines.filter((line) => line.text.includes('ConfigModule dependencies initialized'));
    expect(lines).toHaveLength(1);
  });

  it('feeds one delivery to all three use cases', async () => {
    const messageId = uniqueId('fanout');
    const userId = uniqueId('user');
    const body = messageEvent({ messageId, userId, channelId: 'channel-fanout', text: 'a scam' });
    expect(await postSigned(sample.url, body, SECRET)).toEqual({ status: 200, body: '{}' });
    await sample.dispatcher.onIdle();

    expect((await getJson<AnalyticsSummary>(sample.url, '/analytics/summary')).byEvent['message.didCreate']).toBe(1);
    expect(await getJson<ModerationFlag[]>(sample.url, '/moderation/flags')).toEqual([
      expect.objectContaining({ messageId, userId, channelId: 'channel-fanout', words: ['scam'] }),
    ]);
    expect(await getJson<ActivityItem[]>(sample.url, `/activity/${userId}`)).toEqual([
      expect.objectContaining({ event: 'message.didCreate', messageId, channelId: 'channel-fanout' }),
    ]);
  });

  it('answers 405 to other methods on the webhook route, and its own routes as usual', async () => {
    const response = await fetch(`${sample.url}${WEBHOOK_PATH}`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await fetch(`${sample.url}/no-such-route`)).status).toBe(404);
  });
});
