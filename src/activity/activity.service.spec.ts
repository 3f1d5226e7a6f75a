import { afterEach, describe, expect, it } from '@jest/globals';
import type { DatabaseConnection } from '../database/database.connection.js';
import { openTestDatabase, testBackends } from '../database/database.testing.js';
import type { ActivityItem } from './activity-item.interface.js';
import type { ActivityConfig } from './activity.config.js';
import { ActivityService } from './activity.service.js';

function item(channelId: string, extra: Partial<ActivityItem> = {}): ActivityItem {
  return { event: 'channel.didJoin', channelId, receivedAt: '2026-01-01T00:00:00.000Z', ...extra };
}

describe.each(testBackends())('ActivityService on %s', (backend) => {
  let connection: DatabaseConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
  });

  async function service(config: ActivityConfig): Promise<ActivityService> {
    connection = await openTestDatabase(backend);
    return new ActivityService(config, connection);
  }

  /** Records one item, as the listener does: each call its own transaction. */
  const record = (activity: ActivityService, userId: string, entry: ActivityItem) =>
    connection!.db.transaction((tx) => activity.record(tx, [{ userId, item: entry }]));

  it('returns a user feed newest first, and an empty one for a stranger', async () => {
    const activity = await service({ maxItemsPerUser: 10, maxUsers: 10 });
    await record(activity, 'ada', item('c1'));
    await record(activity, 'ada', item('c2'));
    await record(activity, 'bob', item('c3'));
    expect((await activity.feed('ada')).map((i) => i.channelId)).toEqual(['c2', 'c1']);
    expect((await activity.feed('bob')).map((i) => i.channelId)).toEqual(['c3']);
    expect(await activity.feed('nobody')).toEqual([]);
  });

  it('gives items back in the shape they were recorded in, optional fields left out when absent', async () => {
    const activity = await service({ maxItemsPerUser: 10, maxUsers: 10 });
    const reaction = item('c1', { event: 'message.didAddReaction', messageId: 'm1', reaction: 'like', receivedAt: '2026-03-04T05:06:07.089Z' });
    await record(activity, 'ada', reaction);
    await record(activity, 'ada', item('c2'));
    const feed = await activity.feed('ada');
    expect(feed).toStrictEqual([item('c2'), reaction]);
  });

  it('keeps the newest maxItemsPerUser items', async () => {
    const activity = await service({ maxItemsPerUser: 2, maxUsers: 10 });
    for (const channel of ['c1', 'c2', 'c3']) await record(activity, 'ada', item(channel));
    expect((await activity.feed('ada')).map((i) => i.channelId)).toEqual(['c3', 'c2']);
    const { rows } = (await connection!.db.execute('SELECT count(*)::int AS n FROM activity_items')) as unknown as { rows: Array<{ n: number }> };
    expect(rows[0]!.n).toBe(2);
  });

  it('forgets the least recently active user beyond maxUsers', async () => {
    const activity = await service({ maxItemsPerUser: 5, maxUsers: 2 });
    await record(activity, 'ada', item('c1'));
    await record(activity, 'bob', item('c2'));
    await record(activity, 'ada', item('c3'));
    await record(activity, 'cyd', item('c4'));
    expect(await activity.feed('bob')).toEqual([]);
    expect(await activity.feed('ada')).toHaveLength(2);
    expect(await activity.feed('cyd')).toHaveLength(1);
  });

  it('writes several entries of one delivery in order', async () => {
    const activity = await service({ maxItemsPerUser: 5, maxUsers: 10 });
    await connection!.db.transaction((tx) =>
      activity.record(tx, [
        { userId: 'ada', item: item('c1') },
        { userId: 'bob', item: item('c1') },
        { userId: 'ada', item: item('c2') },
      ]),
    );
    expect((await activity.feed('ada')).map((i) => i.channelId)).toEqual(['c2', 'c1']);
    expect((await activity.feed('bob')).map((i) => i.channelId)).toEqual(['c1']);
  });
});
