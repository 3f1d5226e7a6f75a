import { describe, expect, it } from '@jest/globals';
import { AnalyticsService } from './analytics.service.js';

describe('AnalyticsService', () => {
  it('starts empty', () => {
    expect(new AnalyticsService().summary()).toEqual({ total: 0, byEvent: {} });
  });

  it('counts per event name, names sorted', () => {
    const analytics = new AnalyticsService();
    ['message.didCreate', 'channel.didJoin', 'message.didCreate'].forEach((name) => analytics.record(name));
    const summary = analytics.summary();
    expect(summary).toEqual({ total: 3, byEvent: { 'channel.didJoin': 1, 'message.didCreate': 2 } });
    expect(Object.keys(summary.byEvent)).toEqual(['channel.didJoin', 'message.didCreate']);
  });

  it('treats names such as constructor as plain keys', () => {
    const analytics = new AnalyticsService();
    analytics.record('constructor');
    analytics.record('constructor');
    expect(analytics.summary().byEvent).toEqual({ constructor: 2 });
  });
});
