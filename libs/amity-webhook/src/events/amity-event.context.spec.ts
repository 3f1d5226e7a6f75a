import { describe, expect, it } from '@jest/globals';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { validateAmityEventData } from '../validation/amity-event.validator.js';
import type { AmityEventDataMap, AmityWebhookEventName } from './amity-event-data.map.js';
import { resolveAmityEventContext } from './amity-event.context.js';

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
});
