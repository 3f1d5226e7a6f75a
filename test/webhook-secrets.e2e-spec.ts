import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { AnalyticsSummary } from '../src/analytics/analytics-summary.interface.js';
import { DEVELOPMENT_WEBHOOK_SECRET } from '../src/config/amity-webhook.config.js';
import { messageEvent } from './support/amity-payload.factory.js';
import { startSampleApp, type SampleApp } from './support/sample-app.harness.js';
import { getJson, postSigned, postWebhook } from './support/webhook.client.js';

const ACK = { status: 200, body: '{}' };

// Each test boots the sample app, with its embedded PostgreSQL (PGlite): the first boot in a worker
// loads PGlite's WebAssembly, which alone can take a few seconds.
jest.setTimeout(20_000);

/** Base64(HMAC-SHA256(secret, body)), computed here without the library. */
function hmac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

describe('webhook secrets and signatures', () => {
  let sample: SampleApp | undefined;
  afterEach(async () => {
    await sample?.app.close();
    sample = undefined;
  });

  async function accepted(app: SampleApp): Promise<number> {
    await app.dispatcher.onIdle();
    return (await getJson<AnalyticsSummary>(app.url, '/analytics/summary')).total;
  }

  describe('without AMITY_WEBHOOK_SECRETS (embedded development default)', () => {
    it('accepts deliveries signed with the development default secret and refuses others', async () => {
      sample = await startSampleApp({});
      expect(await postWebhook(sample.url, messageEvent(), { 'x-amity-signature': hmac(messageEvent(), DEVELOPMENT_WEBHOOK_SECRET) })).toEqual({
        status: 401,
        body: expect.stringContaining('does not match'),
      });
      const body = messageEvent();
      expect(await postWebhook(sample.url, body, { 'x-amity-signature': hmac(body, DEVELOPMENT_WEBHOOK_SECRET) })).toEqual(ACK);
      expect((await postSigned(sample.url, messageEvent(), 'some-other-secret')).status).toBe(401);
      expect(await accepted(sample)).toBe(1);
    });

    it('warns that it uses a development default, and never logs the secret', async () => {
      sample = await startSampleApp({});
      const warnings = sample.logger.at('warn').filter((line) => line.includes('AMITY_WEBHOOK_SECRETS'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/development default/);
      await postSigned(sample.url, messageEvent(), DEVELOPMENT_WEBHOOK_SECRET);
      await sample.dispatcher.onIdle();
      expect(sample.logger.lines.length).toBeGreaterThan(0);
      expect(sample.logger.text()).not.toContain(DEVELOPMENT_WEBHOOK_SECRET);
    });

    it('refuses to start without secrets when NODE_ENV=production', async () => {
      await expect(startSampleApp({ NODE_ENV: 'production' })).rejects.toThrow(/AMITY_WEBHOOK_SECRETS must be set when NODE_ENV=production/);
    });

    it.each([
      ['a,,b', /AMITY_WEBHOOK_SECRETS has an empty secret \(entry 2 of 3\)/],
      [' , ', /AMITY_WEBHOOK_SECRETS is set but holds no secret/],
    ])('refuses to start with AMITY_WEBHOOK_SECRETS=%p rather than drop a secret or fall back to the default', async (value, message) => {
      await expect(startSampleApp({ AMITY_WEBHOOK_SECRETS: value })).rejects.toThrow(message);
    });
  });

  describe('with two secrets in AMITY_WEBHOOK_SECRETS', () => {
    const FIRST = 'rotation-old-secret-7c1e';
    const SECOND = 'rotation-new-secret-a94b';

    it('accepts deliveries signed with either secret, and only those', async () => {
      sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: ` ${FIRST} , ${SECOND} ` });
      for (const secret of [FIRST, SECOND]) {
        const body = messageEvent();
        expect(await postWebhook(sample.url, body, { 'x-amity-signature': hmac(body, secret) })).toEqual(ACK);
      }
      expect((await postSigned(sample.url, messageEvent(), 'rotation-unknown-secret')).status).toBe(401);
      // The development default is no longer accepted once secrets are configured.
      expect((await postSigned(sample.url, messageEvent(), DEVELOPMENT_WEBHOOK_SECRET)).status).toBe(401);
      expect(await accepted(sample)).toBe(2);
    });

    it('does not warn about the development default and logs neither secret', async () => {
      sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: `${FIRST},${SECOND}` });
      expect(sample.logger.text()).not.toMatch(/development default/);
      expect(sample.logger.at('log')).toContain('Verifying webhooks with 2 secret(s) from AMITY_WEBHOOK_SECRETS');
      expect(sample.logger.text()).not.toContain(FIRST);
      expect(sample.logger.text()).not.toContain(SECOND);
    });
  });

  describe('bad signatures', () => {
    const SECRET = 'signature-e2e-secret';

    it.each<[string, (body: string) => Record<string, string>, RegExp]>([
      ['a signature made with the wrong secret', (body) => ({ 'x-amity-signature': hmac(body, 'wrong-secret') }), /x-amity-signature header does not match/],
      ['a signature of another body', () => ({ 'x-amity-signature': hmac(messageEvent(), SECRET) }), /x-amity-signature header does not match/],
      ['a malformed signature', () => ({ 'x-amity-signature': 'not-base64!' }), /x-amity-signature header does not match/],
      ['no signature at all', () => ({}), /Missing x-amity-signature/],
    ])('answers 401 to %s and emits nothing', async (_case, headers, message) => {
      sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET });
      const body = messageEvent({ text: 'spam' });
      const response = await postWebhook(sample.url, body, headers(body));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 401, message: expect.stringMatching(message) });
      // A valid delivery after it proves the pipeline runs; only that one is seen.
      expect(await postSigned(sample.url, messageEvent(), SECRET)).toEqual(ACK);
      expect(await accepted(sample)).toBe(1);
      expect(await getJson<unknown[]>(sample.url, '/moderation/flags')).toEqual([]);
    });
  });
});
