import { describe, expect, it } from '@jest/globals';
import { newestAmityTimestamp } from './amity-event-age.js';

describe('newestAmityTimestamp', () => {
  it('takes the newest timestamp of the entities in data', () => {
    const data = {
      messages: [{ createdAt: '2026-11-22T08:00:00.000Z', updatedAt: '2026-11-22T08:05:00.000Z' }],
      users: [{ updatedAt: '2026-01-01T00:00:00.000Z' }],
      channel: { lastActivity: '2026-11-22T08:06:00.000Z' },
    };
    expect(newestAmityTimestamp(data)).toBe(Date.parse('2026-11-22T08:06:00.000Z'));
  });

  it('reads data itself (follow events, file.didDelete)', () => {
    expect(newestAmityTimestamp({ from: 'a', to: 'b', updatedAt: '2026-11-20T00:00:00Z' })).toBe(Date.parse('2026-11-20T00:00:00Z'));
  });

  it('returns undefined when nothing carries a usable timestamp', () => {
    expect(newestAmityTimestamp({ messages: [{ text: 'x', createdAt: 'yesterday' }] })).toBeUndefined();
    expect(newestAmityTimestamp(null)).toBeUndefined();
    expect(newestAmityTimestamp('2026-11-20T00:00:00Z')).toBeUndefined();
  });
});
