import type { AmityUserDto } from '../dto/common/amity-user.dto.js';
import { AMITY_EVENT_REGISTRY } from './amity-event.registry.js';
import type { AmityEventDataMap, AmityEventSubject, AmityWebhookEventName } from './amity-event-data.map.js';

/** The conveniences put on every domain event, beside the full `data`. */
export interface AmityEventContext<N extends AmityWebhookEventName> {
  /** The primary entity: the message of `message.didCreate`, the post of `v3.post.didCreate`, ... */
  readonly subject: AmityEventSubject<N> | undefined;
  /** The id of the user who acted, when the payload says. */
  readonly actorId: string | undefined;
  /** That user, resolved from `data.users`, when it is there. */
  readonly actor: AmityUserDto | undefined;
}

/** `value[key]`, or its first item when it is a list; `undefined` when `value` is not an object. */
function step(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const next = (value as Record<string, unknown>)[key];
  return Array.isArray(next) ? next[0] : next;
}

/**
 * Resolves the subject and the acting user of a validated event from its registry entry (where the
 * subject is, which field names the actor). Never throws: an absent entity gives `undefined`.
 *
 * @example
 * const { subject, actor } = resolveAmityEventContext('v3.post.didCreate', data);
 * // subject: data.posts[0]; actor: the user of data.users whose userId is posts[0].postedUserId
 */
export function resolveAmityEventContext<N extends AmityWebhookEventName>(event: N, data: AmityEventDataMap[N]): AmityEventContext<N> {
  const definition = AMITY_EVENT_REGISTRY[event];
  const subjectKey: string = definition.subject;
  const subject = subjectKey === '.' ? data : step(data, subjectKey);
  let actorId: string | undefined;
  if (definition.actor !== undefined) {
    let value: unknown = data;
    for (const key of definition.actor as readonly string[]) value = step(value, key);
    actorId = typeof value === 'string' && value.length > 0 ? value : undefined;
  }
  let actor: AmityUserDto | undefined;
  const users = (data as { users?: unknown }).users;
  if (actorId !== undefined && Array.isArray(users)) {
    for (const user of users as unknown[]) {
      if (user !== null && typeof user === 'object' && (user as AmityUserDto).userId === actorId) {
        actor = user as AmityUserDto;
        break;
      }
    }
  }
  return { subject: subject as AmityEventSubject<N> | undefined, actorId, actor };
}
