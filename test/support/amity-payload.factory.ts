import { randomUUID } from 'node:crypto';
import { amityFixture } from 'nestjs-amity-webhook/testing';

/**
 * Webhook bodies as social.plus sends them (JSON strings, the exact bytes to sign), built from the
 * library's testing kit fixtures. Ids are unique by default: the library suppresses a body
 * identical to one accepted in the last ten minutes.
 */

/** A short unique id with a readable prefix. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The body of any event. */
export function webhookBody(event: string, data: unknown): string {
  return JSON.stringify({ event, data });
}

/** Fields of a chat message in a `message.*` payload. */
export interface MessageFields {
  messageId?: string;
  channelId?: string;
  userId?: string;
  text?: string;
}

function message(event: 'message.didCreate' | 'message.didUpdate' | 'message.didAddReaction' | 'message.didRemoveReaction', fields: MessageFields) {
  const base = amityFixture(event).data.messages[0]!;
  const { messageId = uniqueId('msg'), channelId = 'channel-general', userId = 'user-ada', text = 'hello there' } = fields;
  return { ...base, messageId, channelId, userId, data: { text } };
}

function user(userId: string) {
  return { userId, displayName: userId, roles: [], flagCount: 0, hashflag: { bits: 0, hashes: 0, hash: [] } };
}

/** `message.didCreate` (or `message.didUpdate`) with one message. */
export function messageEvent(fields: MessageFields = {}, event: 'message.didCreate' | 'message.didUpdate' = 'message.didCreate'): string {
  const sent = message(event, fields);
  return JSON.stringify(amityFixture(event, { messages: [sent], users: [user(sent.userId)] }));
}

/** `message.didAddReaction` / `message.didRemoveReaction` by `reactorId` on a message. */
export function reactionEvent(
  reactorId: string,
  reactionName: string,
  fields: MessageFields = {},
  event: 'message.didAddReaction' | 'message.didRemoveReaction' = 'message.didAddReaction',
): string {
  const target = message(event, fields);
  return JSON.stringify(
    amityFixture(event, {
      messages: [target],
      users: [user(target.userId)],
      reactor: { userId: reactorId, reactionName, reactionId: uniqueId('reaction') },
    }),
  );
}

/** `channel.didJoin` / `channel.didLeave` of `userIds`, with the channel as an object (as in the vendor's sample). */
export function membershipEvent(event: 'channel.didJoin' | 'channel.didLeave', channelId: string, userIds: string[]): string {
  const fixture = amityFixture(event);
  // The fixture sends `channel` as an object, like the vendor's sample; keep that shape.
  const channel = { ...(fixture.data.channel as unknown as Record<string, unknown>), channelId, memberCount: userIds.length };
  return webhookBody(event, { ...fixture.data, userIds, channel, users: userIds.map(user) });
}
