import { describe, expect, it } from '@jest/globals';
import { amityEventLabel, amityListenerLabel } from './amity-metric.labels.js';

describe('amityEventLabel', () => {
  it('keeps catalogue names, sent or emitted, current or deprecated', () => {
    expect(amityEventLabel('message.didCreate')).toBe('message.didCreate');
    expect(amityEventLabel('amity.message.didCreate')).toBe('message.didCreate');
    expect(amityEventLabel('amity.v3.post.didCreate')).toBe('v3.post.didCreate');
  });

  it('folds names the library does not know into one value', () => {
    expect(amityEventLabel('story.didCreate')).toBe('other');
    expect(amityEventLabel('amity.story.didCreate')).toBe('other');
    expect(amityEventLabel(`x`.repeat(10_000))).toBe('other');
    expect(amityEventLabel('__proto__')).toBe('other');
  });

  it('names push deliveries and the invalid event by their kind', () => {
    expect(amityEventLabel('amity-push.anything-the-sender-chose')).toBe('push');
    expect(amityEventLabel('amity-webhook.invalid')).toBe('amity-webhook.invalid');
  });
});

describe('amityListenerLabel', () => {
  it('keeps Class.method and folds the event of a positional key', () => {
    expect(amityListenerLabel('ModerationListener.onMessage')).toBe('ModerationListener.onMessage');
    expect(amityListenerLabel('amity.message.didCreate#1')).toBe('message.didCreate#1');
    expect(amityListenerLabel('amity.whatever.sender.sends#any-0')).toBe('other#any-0');
  });
});
