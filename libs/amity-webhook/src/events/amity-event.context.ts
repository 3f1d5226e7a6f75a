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

/**
 * Resolves the subject and the acting user of a validated event from its registry entry (where the
 * subject is, which field names the actor). Never throws: an absent entity gives `undefined`.
 */
export function resolveAmityEventContext<N extends AmityWebhookEventName>(event: N, data: AmityEventDataMap[N]): AmityEventContext<N> {
  const definition = AMITY_EVENT_REGISTRY[event];
  const key = definition.subject as string;
  let subject: unknown;
  if (key === '.') subject = data;
  else {
    const value = (data as unknown as Record<string, unknown>)[key];
    subject = Array.isArray(value) ? value[0] : value;
  }
  let actorId: string | undefined;
  try {
    actorId = definition.actor?.(data);
  } catch {
    actorId = undefined;
  }
  const users = (data as { users?: unknown }).users;
  const actor =
    actorId !== undefined && Array.isArray(users) ? (users as AmityUserDto[]).find((user) => user?.userId === actorId) : undefined;
  return { subject: subject as AmityEventSubject<N> | undefined, actorId, actor };
}
