import { describe, expect, it } from '@jest/globals';
import { verifyAmitySignature } from '../signature/amity-signature.js';
import { amityFixture, serializeAmityFixture, signAmityFixture } from './amity-fixture.factory.js';

describe('amityFixture', () => {
  it('builds the envelope of the named event', () => {
    const fixture = amityFixture('v3.comment.didReply');
    expect(fixture.event).toBe('v3.comment.didReply');
    expect(fixture.data.comments[0]?.parentId).toBe('cmt-3a2b1c0d9e8f');
    expect(fixture).not.toHaveProperty('networkId');
  });

  it('adds the top-level networkId only where the vendor sends it (file.didDelete)', () => {
    expect(amityFixture('file.didDelete')).toMatchObject({ networkId: '6848030d11c7e8b56c3570b5', data: { fileId: 'f-7d3e9a11c2b84f6e' } });
  });

  it('returns a fresh deep copy every call: changing nested shared samples does not leak', () => {
    const first = amityFixture('message.didCreate');
    first.data.users[0]!.displayName = 'changed';
    first.data.messages[0]!.data!['text'] = 'changed';
    const second = amityFixture('message.didCreate');
    expect(second.data.users[0]!.displayName).toBe('Ada Lovelace 👩‍💻');
    expect(second.data.messages[0]!.data!['text']).toBe('こんにちは! See you at 7pm 🍣');
    // Other events built from the same samples are unaffected too.
    expect(amityFixture('channel.didJoin').data.users[0]!.displayName).toBe('Ada Lovelace 👩‍💻');
  });

  it('merges overrides deeply into objects, replaces arrays and scalars, and copies them', () => {
    const overrides = { reactor: { reactionName: '🔥' }, flaggedUserId: 'nobody' };
    const fixture = amityFixture('v3.post.didAddReaction', overrides);
    expect(fixture.data.reactor).toMatchObject({ reactionName: '🔥', userId: 'yuki.tanaka' });
    overrides.reactor.reactionName = 'changed later';
    expect(fixture.data.reactor?.reactionName).toBe('🔥');
    const replaced = amityFixture('v3.post.didCreate', { posts: [{ postId: 'p-1' }], users: [] });
    expect(replaced.data.posts).toEqual([{ postId: 'p-1' }]);
    expect(replaced.data.users).toEqual([]);
  });

  it('refuses names that are not known events, including Object.prototype keys', () => {
    for (const name of ['story.didCreate', 'toString', '__proto__', 'constructor']) {
      expect(() => amityFixture(name as never)).toThrow(`[nestjs-amity-webhook] no fixture for unknown event "${name}"`);
    }
  });
});

describe('serializeAmityFixture', () => {
  it('sends a string as the exact bytes', () => {
    expect(serializeAmityFixture('{"event":"x.y" , "data":{}}')).toBe('{"event":"x.y" , "data":{}}');
    expect(serializeAmityFixture('not json at all')).toBe('not json at all');
  });

  it('turns a known event name into its fixture', () => {
    expect(JSON.parse(serializeAmityFixture('poll.didVote'))).toEqual(JSON.parse(JSON.stringify(amityFixture('poll.didVote'))));
  });

  it('JSON-encodes anything else, Unicode kept as is', () => {
    expect(serializeAmityFixture({ event: 'a.b', data: { text: '寿司 🍣' } })).toBe('{"event":"a.b","data":{"text":"寿司 🍣"}}');
  });
});

describe('signAmityFixture', () => {
  it('signs the exact body as social.plus does and gives the headers to send', () => {
    const signed = signAmityFixture(amityFixture('user.didUpdate'), 's3cret');
    expect(signed.headers).toEqual({ 'content-type': 'application/json', 'x-amity-signature': signed.signature });
    expect(verifyAmitySignature(Buffer.from(signed.body), signed.signature, ['other', 's3cret'])).toBe(1);
    expect(verifyAmitySignature(Buffer.from(`${signed.body} `), signed.signature, ['s3cret'])).toBe(-1);
  });

  it('signs a known event name as its fixture', () => {
    const signed = signAmityFixture('tag.created', 's3cret');
    expect(JSON.parse(signed.body)).toMatchObject({ event: 'tag.created', data: { tagId: 'tag-verified-coach' } });
  });
});

describe('amityFixture overrides of other kinds', () => {
  it('keeps non-JSON values such as dates as they are, and lets undefined clear a field', () => {
    const when = new Date('2026-11-22T08:15:30.123Z');
    const fixture = amityFixture('v3.post.didCreate', { posts: [{ postId: 'p', createdAt: when as unknown as string }], users: undefined as never });
    expect(fixture.data.posts[0]!.createdAt).toBe(when);
    expect(fixture.data).toHaveProperty('users', undefined);
    expect(JSON.parse(JSON.stringify(fixture)).data.posts[0].createdAt).toBe('2026-11-22T08:15:30.123Z');
  });
});
