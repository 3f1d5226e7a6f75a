import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';

type Entity = Record<string, unknown> | undefined;

function first(value: unknown): Entity {
  const item = Array.isArray(value) ? value[0] : value;
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
}

function id(entity: Entity, field: string): string | undefined {
  const value = entity?.[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The entity a delivery is about, for `ordering: true`: messages and channel events are ordered
 * per channel, comments per comment, posts per post, and so on down to the user. `undefined` when
 * the payload names no entity (such deliveries are not ordered).
 */
export function amityOrderingKey(delivery: AmityDeliveryInfo): string | undefined {
  const data = delivery.data as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object') return undefined;
  const pick = (family: string, entity: Entity, field: string): string | undefined => {
    const value = id(entity, field);
    return value === undefined ? undefined : `${family}:${value}`;
  };
  return (
    pick('channel', first(data['messages']), 'channelId') ??
    pick('channel', first(data['channel']), 'channelId') ??
    pick('comment', first(data['comments']), 'commentId') ??
    pick('post', first(data['posts']), 'postId') ??
    pick('community', first(data['communities']), 'communityId') ??
    pick('poll', first(data['polls']), 'pollId') ??
    pick('stream', first(data['videoStreamings']), 'streamId') ??
    pick('user', data, 'from') ??
    pick('user', first(data['users']), 'userId')
  );
}
