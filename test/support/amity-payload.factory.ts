import { randomUUID } from 'node:crypto';

/**
 * Webhook bodies as social.plus sends them (JSON strings, the exact bytes to sign). Ids are unique
 * by default: the library suppresses a body identical to one accepted in the last ten minutes.
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

function message({ messageId = uniqueId('msg'), channelId = 'channel-general', userId = 'user-ada', text = 'hello there' }: MessageFields) {
  return {
    messageId,
    channelId,
    userId,
    type: 'text',
    data: { text },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
}

function user(userId: string) {
  return { userId, displayName: userId, roles: [], flagCount: 0, hashflag: { bits: 0, hashes: 0, hash: [] } };
}

/** `message.didCreate` (or `message.didUpdate`) with one message. */
export function messageEvent(fields: MessageFields = {}, event: 'message.didCreate' | 'message.didUpdate' = 'message.didCreate'): string {
  const sent = message(fields);
  return webhookBody(event, { messages: [sent], users: [user(sent.userId)] });
}

/** `message.didAddReaction` / `message.didRemoveReaction` by `reactorId` on a message. */
export function reactionEvent(
  reactorId: string,
  reactionName: string,
  fields: MessageFields = {},
  event: 'message.didAddReaction' | 'message.didRemoveReaction' = 'message.didAddReaction',
): string {
  const target = message(fields);
  return webhookBody(event, {
    messages: [target],
    users: [user(target.userId)],
    reactor: { userId: reactorId, reactionName, reactionId: uniqueId('reaction'), createdAt: new Date().toISOString() },
  });
}

/** `channel.didJoin` / `channel.didLeave` of `userIds`, with the channel as an object (as in the vendor's sample). */
export function membershipEvent(event: 'channel.didJoin' | 'channel.didLeave', channelId: string, userIds: string[]): string {
  return webhookBody(event, {
    userIds,
    channel: { channelId, type: 'community', isDistinct: false, memberCount: userIds.length, updatedAt: new Date().toISOString() },
    users: userIds.map(user),
  });
}
