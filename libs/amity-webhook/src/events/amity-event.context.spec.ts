import { describe, expect, it } from '@jest/globals';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { validateAmityEventData } from '../validation/amity-event.validator.js';
import type { AmityEventDataMap, AmityWebhookEventName } from './amity-event-data.map.js';
import { resolveAmityEventContext } from './amity-event.context.js';
import { AMITY_EVENT_REGISTRY, AMITY_WEBHOOK_EVENT_NAMES } from './amity-event.registry.js';

function validated<N extends AmityWebhookEventName>(name: N): AmityEventDataMap[N] {
  const result = validateAmityEventData(name, amityFixture(name).data);
  if (!result.valid) throw new Error('fixture invalid');
  return result.data;
}

describe('resolveAmityEventContext', () => {
  it('gives the primary entity and the acting user of a message', () => {
    const data = validated('message.didCreate');
    const context = resolveAmityEventContext('message.didCreate', data);
    expect(context.subject).toBe(data.messages[0]);
    expect(context.actorId).toBe('ada.lovelace');
    expect(context.actor).toBe(data.users[0]);
  });

  it('uses the reactor for reactions and flaggedUserId for flags', () => {
    expect(resolveAmityEventContext('message.didAddReaction', validated('message.didAddReaction')).actor?.userId).toBe('yuki.tanaka');
    expect(resolveAmityEventContext('v3.post.didFlag', validated('v3.post.didFlag')).actorId).toBe('yuki.tanaka');
  });

  it('takes data itself as the subject of follow, file and tag events', () => {
    const follow = validated('follow.didAcceptRequest');
    const context = resolveAmityEventContext('follow.didAcceptRequest', follow);
    expect(context.subject).toBe(follow);
    expect(context.actor?.userId).toBe('yuki.tanaka');
    const tag = validated('tag.created');
    expect(resolveAmityEventContext('tag.created', tag)).toEqual({ subject: tag, actorId: undefined, actor: undefined });
  });

  it('gives the first channel of channel events, whichever shape was sent', () => {
    const data = validated('channel.didClose');
    expect(resolveAmityEventContext('channel.didClose', data).subject?.channelId).toBe('ch-tokyo-meetup');
  });

  it('leaves the actor undefined when the user is not in data.users', () => {
    const data = validated('v3.comment.didReply');
    const context = resolveAmityEventContext('v3.comment.didReply', data);
    expect(context.actorId).toBe('ada.lovelace');
    expect(context.actor).toBeUndefined();
  });

  it.each([...AMITY_WEBHOOK_EVENT_NAMES])('%s: the subject and (where described) the actor resolve on the fixture', (name) => {
    const data = validated(name);
    const context = resolveAmityEventContext(name, data);
    expect(context.subject).toBeDefined();
    expect(context.subject).toBeInstanceOf(Object);
    // Every fixture names its actor where the registry says one is; no actor is invented elsewhere.
    expect(typeof context.actorId).toBe(AMITY_EVENT_REGISTRY[name].actor ? 'string' : 'undefined');
    expect(context.actorId ?? 'none').toMatch(/^[a-z]+\.[a-z]+$|^none$/);
    // The actor is the user of data.users with that id when the fixture lists it, else unresolved.
    const users = ((data as { users?: Array<{ userId?: string }> }).users ?? []).filter((u) => u.userId === context.actorId);
    expect(context.actor?.userId).toBe(context.actorId !== undefined && users.length > 0 ? context.actorId : undefined);
  });

  it.each<[AmityWebhookEventName, string]>([
    ['channel.didAddUsers', 'ada.lovelace'],
    ['channel.didUpdate', 'ada.lovelace'],
    ['moderation.didBan', 'omar.haddad'],
    ['v5.message.didCreate', 'ada.lovelace'],
    ['user.didBlock', 'ada.lovelace'],
    ['follow.didDeleteFollower', 'yuki.tanaka'],
    ['v3.community.didCreate', 'omar.haddad'],
    ['v3.communityJoinRequest.didCreate', 'yuki.tanaka'],
    ['v3.communityJoinRequest.didAccept', 'omar.haddad'],
    ['v3.communityMemberInvitation.didCreate', 'omar.haddad'],
    ['v3.communityMemberInvitation.didAccept', 'yuki.tanaka'],
    ['v3.comment.didAddReaction', 'yuki.tanaka'],
    ['poll.didCreate', 'omar.haddad'],
    ['video-streaming.didStart', 'omar.haddad'],
    ['channel.membersAdded', 'ada.lovelace'],
  ])('%s: the actor is %s, found in data.users', (name, userId) => {
    const context = resolveAmityEventContext(name, validated(name));
    expect(context.actorId).toBe(userId);
    expect(context.actor?.userId).toBe(userId);
  });

  it('gives undefined, never throws, on data missing what the registry points at', () => {
    const empty = { messages: [], users: 'not a list' } as unknown as AmityEventDataMap['message.didCreate'];
    expect(resolveAmityEventContext('message.didCreate', empty)).toEqual({ subject: undefined, actorId: undefined, actor: undefined });
    const noReactor = { ...validated('v3.post.didAddReaction'), reactor: undefined };
    expect(resolveAmityEventContext('v3.post.didAddReaction', noReactor).actorId).toBeUndefined();
    const emptyId = { ...validated('channel.didUpdate'), userId: '' };
    expect(resolveAmityEventContext('channel.didUpdate', emptyId).actorId).toBeUndefined();
    const numericId = { ...validated('follow.didCreate'), from: 42 } as unknown as AmityEventDataMap['follow.didCreate'];
    expect(resolveAmityEventContext('follow.didCreate', numericId).actorId).toBeUndefined();
  });

  it('reads the v5 creatorId whichever list the messages arrive in', () => {
    const data = validated('v5.message.didUpdate');
    const swapped = { ...data, messages: data.messageFeeds, messageFeeds: data.messages };
    expect(resolveAmityEventContext('v5.message.didUpdate', swapped).actorId).toBe('ada.lovelace');
  });
});
