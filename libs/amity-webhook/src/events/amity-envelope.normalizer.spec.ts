import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normalizeAmityEnvelope } from './amity-envelope.normalizer.js';
import { AMITY_CURRENT_EVENT_NAMES, AMITY_DEPRECATED_EVENT_NAMES, AMITY_WEBHOOK_EVENT_NAMES } from './amity-event.registry.js';

const V3_FAMILY_NAMES = AMITY_WEBHOOK_EVENT_NAMES.filter((name) =>
  /^v3\.(post|comment|community|communityJoinRequest|communityMemberInvitation)\./.test(name),
);

describe('normalizeAmityEnvelope', () => {
  describe('the {event, data} envelope', () => {
    it('reads it, passing data through untouched (same reference)', () => {
      const data = { messages: [] };
      const result = normalizeAmityEnvelope({ event: 'message.didCreate', data });
      expect(result).toEqual({ kind: 'event', event: 'message.didCreate', wireEvent: 'message.didCreate', data });
      expect(result.kind === 'event' && result.data).toBe(data);
      expect(result).not.toHaveProperty('deprecatedFor');
    });

    it('allows extra top-level fields such as the networkId of file.didDelete', () => {
      const body = { networkId: '6848030d11c7e8b56c3570b5', event: 'file.didDelete', data: { fileId: 'f' }, timestamp: '2026-11-22T08:15:30.123Z' };
      expect(normalizeAmityEnvelope(body)).toEqual({ kind: 'event', event: 'file.didDelete', wireEvent: 'file.didDelete', data: { fileId: 'f' } });
    });

    it('passes any data through, even a missing, null or non-object one (validation comes later)', () => {
      expect(normalizeAmityEnvelope({ event: 'tag.created' })).toEqual({ kind: 'event', event: 'tag.created', wireEvent: 'tag.created', data: undefined });
      expect(normalizeAmityEnvelope({ event: 'message.didCreate', data: null })).toMatchObject({ event: 'message.didCreate', data: null });
      expect(normalizeAmityEnvelope({ event: 'message.didCreate', data: ['messageFeeds'] })).toMatchObject({ event: 'message.didCreate' });
    });

    it.each([...AMITY_CURRENT_EVENT_NAMES])('keeps the current name %s as it is', (name) => {
      expect(normalizeAmityEnvelope({ event: name, data: {} })).toEqual({ kind: 'event', event: name, wireEvent: name, data: {} });
    });

    it('keeps unknown but well-formed names as they are', () => {
      for (const name of ['story.didCreate', 'message.didClearFlag', 'user.didClearflag', 'v3.follow.didCreate', 'post.didExplode', 'v4.post.didCreate', 'ping']) {
        expect(normalizeAmityEnvelope({ event: name, data: 1 })).toEqual({ kind: 'event', event: name, wireEvent: name, data: 1 });
      }
    });
  });

  describe("the vendor's variants", () => {
    it('maps the old follow.didDecineRequest spelling', () => {
      expect(normalizeAmityEnvelope({ event: 'follow.didDecineRequest', data: {} })).toEqual({
        kind: 'event',
        event: 'follow.didDeclineRequest',
        wireEvent: 'follow.didDecineRequest',
        data: {},
      });
    });

    it('knows every social name of the catalogue without its v3. prefix', () => {
      expect(V3_FAMILY_NAMES).toHaveLength(35);
      for (const name of V3_FAMILY_NAMES) {
        const bare = name.slice('v3.'.length);
        expect(normalizeAmityEnvelope({ event: bare, data: {} })).toEqual({ kind: 'event', event: name, wireEvent: bare, data: {} });
      }
    });

    it('does not add v3. to other families (video-streaming dropped it, chat never had it)', () => {
      expect(normalizeAmityEnvelope({ event: 'video-streaming.didStart', data: {} })).toMatchObject({ event: 'video-streaming.didStart' });
      expect(normalizeAmityEnvelope({ event: 'channel.didExplode', data: {} })).toMatchObject({ event: 'channel.didExplode' });
    });

    it.each(['didCreate', 'didUpdate', 'didDelete'])('tells the v5 layout of message.%s apart by data.messageFeeds', (verb) => {
      expect(normalizeAmityEnvelope({ event: `message.${verb}`, data: { messageFeeds: [], messages: [] } })).toMatchObject({
        event: `v5.message.${verb}`,
        wireEvent: `message.${verb}`,
      });
      expect(normalizeAmityEnvelope({ event: `message.${verb}`, data: { messages: [] } })).toMatchObject({ event: `message.${verb}` });
      expect(normalizeAmityEnvelope({ event: `v5.message.${verb}`, data: { messages: [] } })).toMatchObject({ event: `v5.message.${verb}` });
    });

    it('only looks at messageFeeds for the three v5 names', () => {
      expect(normalizeAmityEnvelope({ event: 'message.didFlag', data: { messageFeeds: [] } })).toMatchObject({ event: 'message.didFlag' });
      expect(normalizeAmityEnvelope({ event: 'message.created', data: { messageFeeds: [] } })).toMatchObject({ event: 'message.created' });
    });

    it.each(Object.entries(AMITY_DEPRECATED_EVENT_NAMES))('keeps the deprecated %s and names its replacement %s', (deprecated, current) => {
      expect(normalizeAmityEnvelope({ event: deprecated, data: {} })).toEqual({
        kind: 'event',
        event: deprecated,
        wireEvent: deprecated,
        data: {},
        deprecatedFor: current,
      });
    });
  });

  describe('custom push-notification deliveries', () => {
    const push = {
      eventType: 'push-notification.created',
      id: 'pn-1',
      networkId: '6848030d11c7e8b56c3570b5',
      data: { eventName: 'post.created', targetIds: ['yuki.tanaka'], title: '新しい投稿 📝' },
    };

    it('names them by data.eventName and keeps the whole body', () => {
      const result = normalizeAmityEnvelope(push);
      expect(result).toEqual({ kind: 'push', name: 'post.created', payload: push });
      expect(result.kind === 'push' && result.payload).toBe(push);
    });

    it("names them 'unknown' without a string data.eventName", () => {
      for (const data of [undefined, null, 'x', {}, { eventName: 42 }]) {
        expect(normalizeAmityEnvelope({ eventType: 'push-notification.created', data })).toMatchObject({ kind: 'push', name: 'unknown' });
      }
    });

    it('reads a body with a string event as an event even if it also has an eventType', () => {
      expect(normalizeAmityEnvelope({ ...push, event: 'v3.post.didCreate' })).toMatchObject({ kind: 'event', event: 'v3.post.didCreate' });
    });

    it('refuses a malformed data.eventName and another eventType', () => {
      expect(normalizeAmityEnvelope({ eventType: 'push-notification.created', data: { eventName: '**' } })).toMatchObject({ kind: 'invalid' });
      expect(normalizeAmityEnvelope({ eventType: 'push-notification.updated', data: { eventName: 'post.created' } })).toMatchObject({
        kind: 'invalid',
        reason: expect.stringMatching(/string "event"/),
      });
    });
  });

  describe('what is not a webhook', () => {
    it.each<[string, unknown, RegExp]>([
      ['an array', [{ event: 'message.didCreate' }], /JSON object/],
      ['null', null, /JSON object/],
      ['a string', 'message.didCreate', /JSON object/],
      ['a number', 42, /JSON object/],
      ['no event', { data: {} }, /string "event"/],
      ['a non-string event', { event: 42, data: {} }, /string "event"/],
      ['an empty name', { event: '' }, /dotted event name/],
      ['a wildcard', { event: 'amity.*' }, /dotted event name/],
      ['a globstar', { event: '**' }, /dotted event name/],
      ['a leading dot', { event: '.didCreate' }, /dotted event name/],
      ['a trailing dot', { event: 'message.' }, /dotted event name/],
      ['an empty segment', { event: 'message..didCreate' }, /dotted event name/],
      ['a space', { event: 'message didCreate' }, /dotted event name/],
      ['a leading dash', { event: '-message.didCreate' }, /dotted event name/],
      ['a newline', { event: 'message.didCreate\n' }, /dotted event name/],
      ['non-ASCII letters', { event: 'message.didCréate' }, /dotted event name/],
      ['an overlong name', { event: `a.${'b'.repeat(127)}` }, /at most 128/],
    ])('refuses %s', (_case, payload, reason) => {
      const result = normalizeAmityEnvelope(payload);
      expect(result.kind).toBe('invalid');
      expect(result.kind === 'invalid' && result.reason).toMatch(reason);
    });

    it('accepts a name of exactly 128 characters', () => {
      const name = `a.${'b'.repeat(126)}`;
      expect(name).toHaveLength(128);
      expect(normalizeAmityEnvelope({ event: name })).toMatchObject({ kind: 'event', event: name });
    });
  });

  describe('properties (fast-check)', () => {
    it('never throws, and every known name is well-formed', () => {
      for (const name of AMITY_WEBHOOK_EVENT_NAMES) expect(/^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(name)).toBe(true);
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const result = normalizeAmityEnvelope(value);
          expect(['event', 'push', 'invalid']).toContain(result.kind);
        }),
        { numRuns: 500 },
      );
    });

    it('reads any object with a well-formed event as an event whose wireEvent is what was sent', () => {
      const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/);
      const name = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
      fc.assert(
        fc.property(name, fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (event, data, extra) => {
          const result = normalizeAmityEnvelope({ ...extra, event, data });
          expect(result).toMatchObject({ kind: 'event', wireEvent: event });
          // Either the name is kept, or a mapping applied and the result is a known name.
          const mapped = result.kind === 'event' ? result.event : '';
          expect(mapped === event || AMITY_WEBHOOK_EVENT_NAMES.includes(mapped as never)).toBe(true);
        }),
        { numRuns: 500 },
      );
    });
  });
});
