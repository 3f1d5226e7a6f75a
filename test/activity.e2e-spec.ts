import { describe, expect, it } from '@jest/globals';
import type { ActivityItem } from '../src/activity/activity-item.interface.js';
import { membershipEvent, messageEvent, reactionEvent, uniqueId } from './support/amity-payload.factory.js';
import { sampleAppPerTest, type SampleApp } from './support/sample-app.harness.js';
import { getJson, postSigned } from './support/webhook.client.js';

const SECRET = 'activity-e2e-secret';
const ACK = { status: 200, body: '{}' };

describe('activity feed: GET /activity/:userId', () => {
  const start = sampleAppPerTest(SECRET);

  /** Delivers the bodies one by one, each fully dispatched before the next is sent. */
  async function deliverInOrder(app: SampleApp, ...bodies: string[]): Promise<void> {
    for (const body of bodies) {
      expect(await postSigned(app.url, body, SECRET)).toEqual(ACK);
      await app.dispatcher.onIdle();
    }
  }

  const feed = (app: SampleApp, userId: string) => getJson<ActivityItem[]>(app.url, `/activity/${encodeURIComponent(userId)}`);

  it("lists a user's messages, reactions and channel membership, newest first", async () => {
    const app = await start();
    const ada = uniqueId('ada');
    const bob = uniqueId('bob');
    const adaMessage = uniqueId('msg');
    const bobMessage = uniqueId('msg');
    await deliverInOrder(
      app,
      membershipEvent('channel.didJoin', 'channel-rust', [ada, bob]),
      messageEvent({ messageId: adaMessage, channelId: 'channel-rust', userId: ada }),
      messageEvent({ messageId: bobMessage, channelId: 'channel-rust', userId: bob }),
      reactionEvent(ada, 'like', { messageId: bobMessage, channelId: 'channel-rust', userId: bob }),
      reactionEvent(ada, 'like', { messageId: bobMessage, channelId: 'channel-rust', userId: bob }, 'message.didRemoveReaction'),
      membershipEvent('channel.didLeave', 'channel-rust', [ada]),
    );

    const adaFeed = await feed(app, ada);
    expect(adaFeed.map(({ receivedAt: _receivedAt, ...item }) => item)).toEqual([
      { event: 'channel.didLeave', channelId: 'channel-rust' },
      { event: 'message.didRemoveReaction', channelId: 'channel-rust', messageId: bobMessage, reaction: 'like' },
      { event: 'message.didAddReaction', channelId: 'channel-rust', messageId: bobMessage, reaction: 'like' },
      { event: 'message.didCreate', channelId: 'channel-rust', messageId: adaMessage },
      { event: 'channel.didJoin', channelId: 'channel-rust' },
    ]);
    const times = adaFeed.map((item) => Date.parse(item.receivedAt));
    expect(times.every((time) => Number.isFinite(time))).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Bob's reacted-to message is his activity; Ada's reaction on it is hers alone.
    expect((await feed(app, bob)).map((item) => item.event)).toEqual(['message.didCreate', 'channel.didJoin']);
  });

  it('answers [] for a user never seen', async () => {
    const app = await start();
    expect(await feed(app, uniqueId('stranger'))).toEqual([]);
  });

  it('keeps the newest ACTIVITY_MAX_ITEMS_PER_USER items per user', async () => {
    const app = await start({ ACTIVITY_MAX_ITEMS_PER_USER: '3' });
    const ada = uniqueId('ada');
    const ids = Array.from({ length: 5 }, (_, i) => uniqueId(`m${i}`));
    await deliverInOrder(app, ...ids.map((messageId) => messageEvent({ messageId, userId: ada })));
    expect((await feed(app, ada)).map((item) => item.messageId)).toEqual([ids[4], ids[3], ids[2]]);
  });
});
