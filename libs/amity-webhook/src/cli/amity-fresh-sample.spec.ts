import { describe, expect, it } from '@jest/globals';
import { AMITY_WEBHOOK_EVENT_NAMES } from '../events/amity-event.registry.js';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { freshAmitySample } from './amity-fresh-sample.js';

describe('freshAmitySample', () => {
  it('sets the timestamps at any depth to now and leaves everything else as it was', () => {
    const sample = { event: 'x.y', data: { createdAt: 'old', post: [{ updatedAt: 'old', editedAt: 'old', title: 'createdAt' }], count: 2 } };
    expect(freshAmitySample(sample, new Date(0))).toEqual({
      event: 'x.y',
      data: { createdAt: '1970-01-01T00:00:00.000Z', post: [{ updatedAt: '1970-01-01T00:00:00.000Z', editedAt: '1970-01-01T00:00:00.000Z', title: 'createdAt' }], count: 2 },
    });
    expect(sample.data.createdAt).toBe('old');
  });

  it.each(AMITY_WEBHOOK_EVENT_NAMES.map((name) => [name]))('gives %s different bytes at different times', (name) => {
    const fixture = amityFixture(name);
    const a = JSON.stringify(freshAmitySample(fixture, new Date(1)));
    const b = JSON.stringify(freshAmitySample(fixture, new Date(2)));
    expect(a).not.toBe(b);
  });
});
