import { describe, expect, it } from '@jest/globals';
import type { ActivityItem } from './activity-item.interface.js';
import { ActivityService } from './activity.service.js';

function item(channelId: string): ActivityItem {
  return { event: 'channel.didJoin', channelId, receivedAt: '2026-01-01T00:00:00.000Z' };
}

describe('ActivityService', () => {
  it('returns a user feed newest first, and an empty one for a stranger', () => {
    const activity = new ActivityService({ maxItemsPerUser: 10, maxUsers: 10 });
    activity.record('ada', item('c1'));
    activity.record('ada', item('c2'));
    activity.record('bob', item('c3'));
    expect(activity.feed('ada').map((i) => i.channelId)).toEqual(['c2', 'c1']);
    expect(activity.feed('bob').map((i) => i.channelId)).toEqual(['c3']);
    expect(activity.feed('nobody')).toEqual([]);
  });

  it('keeps the newest maxItemsPerUser items', () => {
    const activity = new ActivityService({ maxItemsPerUser: 2, maxUsers: 10 });
    ['c1', 'c2', 'c3'].forEach((c) => activity.record('ada', item(c)));
    expect(activity.feed('ada').map((i) => i.channelId)).toEqual(['c3', 'c2']);
  });

  it('forgets the least recently active user beyond maxUsers', () => {
    const activity = new ActivityService({ maxItemsPerUser: 5, maxUsers: 2 });
    activity.record('ada', item('c1'));
    activity.record('bob', item('c2'));
    activity.record('ada', item('c3'));
    activity.record('cyd', item('c4'));
    expect(activity.feed('bob')).toEqual([]);
    expect(activity.feed('ada')).toHaveLength(2);
    expect(activity.feed('cyd')).toHaveLength(1);
  });
});
