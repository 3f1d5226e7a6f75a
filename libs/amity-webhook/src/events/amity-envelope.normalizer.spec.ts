import { describe, expect, it } from '@jest/globals';
import { normalizeAmityEnvelope } from './amity-envelope.normalizer.js';

describe('normalizeAmityEnvelope', () => {
  it('reads the {event, data} envelope, with extra top-level fields', () => {
    expect(normalizeAmityEnvelope({ event: 'message.didCreate', data: { messages: [] } })).toEqual({
      kind: 'event',
      event: 'message.didCreate',
      wireEvent: 'message.didCreate',
      data: { messages: [] },
    });
    expect(normalizeAmityEnvelope({ networkId: 'n1', event: 'file.didDelete', data: { fileId: 'f' } })).toMatchObject({
      kind: 'event',
      event: 'file.didDelete',
    });
  });

  it('maps the old follow.didDecineRequest spelling', () => {
    expect(normalizeAmityEnvelope({ event: 'follow.didDecineRequest', data: {} })).toMatchObject({
      event: 'follow.didDeclineRequest',
      wireEvent: 'follow.didDecineRequest',
    });
  });

  it.each(['post.didCreate', 'comment.didReply', 'community.didJoin', 'communityJoinRequest.didAccept', 'communityMemberInvitation.didReject'])(
    'adds the v3. prefix to %s',
    (name) => {
      expect(normalizeAmityEnvelope({ event: name, data: {} })).toMatchObject({ event: `v3.${name}`, wireEvent: name });
    },
  );

  it('tells the v5 message layout apart from the legacy one under the same name', () => {
    expect(normalizeAmityEnvelope({ event: 'message.didCreate', data: { messageFeeds: [], messages: [] } })).toMatchObject({
      event: 'v5.message.didCreate',
    });
    expect(normalizeAmityEnvelope({ event: 'message.didUpdate', data: { messages: [] } })).toMatchObject({ event: 'message.didUpdate' });
    expect(normalizeAmityEnvelope({ event: 'v5.message.didDelete', data: { messageFeeds: [] } })).toMatchObject({ event: 'v5.message.didDelete' });
  });

  it('flags deprecated names with the current one', () => {
    expect(normalizeAmityEnvelope({ event: 'channel.membersAdded', data: {} })).toMatchObject({
      event: 'channel.membersAdded',
      deprecatedFor: 'channel.didAddUsers',
    });
    expect(normalizeAmityEnvelope({ event: 'v3.video-streaming.didStop', data: {} })).toMatchObject({ deprecatedFor: 'video-streaming.didStop' });
  });

  it('keeps unknown names as they are', () => {
    expect(normalizeAmityEnvelope({ event: 'story.didCreate', data: 1 })).toEqual({ kind: 'event', event: 'story.didCreate', wireEvent: 'story.didCreate', data: 1 });
  });

  it('recognises a custom push-notification delivery', () => {
    const push = { eventType: 'push-notification.created', id: 'p1', networkId: 'n', data: { eventName: 'post.created', targetIds: ['u'] } };
    expect(normalizeAmityEnvelope(push)).toEqual({ kind: 'push', name: 'post.created', payload: push });
    expect(normalizeAmityEnvelope({ eventType: 'push-notification.created', data: {} })).toMatchObject({ kind: 'push', name: 'unknown' });
  });

  it.each<[string, unknown, RegExp]>([
    ['an array', [], /JSON object/],
    ['null', null, /JSON object/],
    ['no event', { data: {} }, /string "event"/],
    ['an empty name', { event: '' }, /dotted event name/],
    ['a wildcard', { event: 'amity.*' }, /dotted event name/],
    ['an overlong name', { event: `a.${'b'.repeat(130)}` }, /dotted event name/],
    ['a push name with a wildcard', { eventType: 'push-notification.created', data: { eventName: '**' } }, /dotted event name/],
  ])('refuses %s', (_case, payload, reason) => {
    const result = normalizeAmityEnvelope(payload);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.reason).toMatch(reason);
  });
});
