import { describe, expect, it } from '@jest/globals';
import type { ModerationFlag } from '../src/moderation/moderation-flag.interface.js';
import { messageEvent, uniqueId } from './support/amity-payload.factory.js';
import { sampleAppPerTest, type SampleApp } from './support/sample-app.harness.js';
import { getJson, postSigned } from './support/webhook.client.js';

const SECRET = 'moderation-e2e-secret';
const ACK = { status: 200, body: '{}' };

describe('moderation: GET /moderation/flags', () => {
  const start = sampleAppPerTest(SECRET);

  /** Posts each body, waits until every listener ran, and returns the flags. */
  async function deliver(app: SampleApp, ...bodies: string[]): Promise<ModerationFlag[]> {
    for (const body of bodies) expect(await postSigned(app.url, body, SECRET)).toEqual(ACK);
    await app.dispatcher.onIdle();
    return getJson<ModerationFlag[]>(app.url, '/moderation/flags');
  }

  it('flags a message with a banned word, case-insensitively, and not a clean one', async () => {
    const app = await start({ MODERATION_BANNED_WORDS: 'scam, free money' });
    const clean = uniqueId('clean');
    const banned = uniqueId('banned');
    const flags = await deliver(
      app,
      messageEvent({ messageId: clean, text: 'Scampi for dinner? Money is not free.' }),
      messageEvent({ messageId: banned, channelId: 'channel-deals', userId: 'user-mallory', text: 'Total SCAM: get FREE  money now' }),
    );
    expect(flags).toEqual([
      {
        messageId: banned,
        channelId: 'channel-deals',
        userId: 'user-mallory',
        words: ['scam', 'free money'],
        event: 'message.didCreate',
        flaggedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  it('matches non-Latin words as whole words', async () => {
    const app = await start({ MODERATION_BANNED_WORDS: 'мошенник,Crème brûlée' });
    const flags = await deliver(
      app,
      messageEvent({ text: 'Он МОШЕННИК!' }),
      messageEvent({ text: 'мошенники are plural, not banned' }),
      messageEvent({ text: 'CRÈME BRÛLÉE again' }),
    );
    expect(flags.map((flag) => flag.words)).toEqual([['Crème brûlée'], ['мошенник']]);
  });

  it('reviews edited messages too', async () => {
    const app = await start({ MODERATION_BANNED_WORDS: 'scam' });
    const messageId = uniqueId('edited');
    const flags = await deliver(
      app,
      messageEvent({ messageId, text: 'harmless' }),
      messageEvent({ messageId, text: 'harmless scam' }, 'message.didUpdate'),
    );
    expect(flags).toEqual([expect.objectContaining({ messageId, event: 'message.didUpdate', words: ['scam'] })]);
  });

  it('uses the default list when MODERATION_BANNED_WORDS is unset', async () => {
    const app = await start();
    const flags = await deliver(app, messageEvent({ text: 'buy my spam' }), messageEvent({ text: 'nothing to see' }));
    expect(flags.map((flag) => flag.words)).toEqual([['spam']]);
  });

  it('keeps only the last MODERATION_MAX_FLAGS decisions, newest first', async () => {
    const app = await start({ MODERATION_BANNED_WORDS: 'scam', MODERATION_MAX_FLAGS: '3' });
    const ids = Array.from({ length: 5 }, (_, i) => uniqueId(`flag${i}`));
    // One at a time, so the order of the decisions is the order of sending.
    for (const messageId of ids) await deliver(app, messageEvent({ messageId, text: 'scam' }));
    const flags = await getJson<ModerationFlag[]>(app.url, '/moderation/flags');
    expect(flags.map((flag) => flag.messageId)).toEqual([ids[4], ids[3], ids[2]]);
  });
});
