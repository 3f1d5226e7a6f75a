import { AMITY_EVENT_NAMESPACE, AMITY_PUSH_EVENT_NAMESPACE, AMITY_WEBHOOK_INVALID_EVENT } from '../amity-webhook.constants.js';
import { isAmityWebhookEventName } from '../events/amity-event.registry.js';

/** The `event` label of every event name the library does not know: senders choose names, so they are folded. */
export const AMITY_OTHER_EVENT_LABEL = 'other';
/** The `event` label of custom push-notification deliveries (their `eventName` is the sender's). */
export const AMITY_PUSH_EVENT_LABEL = 'push';

/**
 * The `event` label of a metric for an event name, as sent (`message.didCreate`) or as emitted on
 * the host's bus (`amity.message.didCreate`). Only names of the library's catalogue (current and
 * deprecated) are kept as they are, so a sender inventing names cannot grow the series without bound.
 */
export function amityEventLabel(name: string): string {
  if (name === AMITY_WEBHOOK_INVALID_EVENT) return name;
  if (name.startsWith(`${AMITY_PUSH_EVENT_NAMESPACE}.`)) return AMITY_PUSH_EVENT_LABEL;
  const wire = name.startsWith(`${AMITY_EVENT_NAMESPACE}.`) ? name.slice(AMITY_EVENT_NAMESPACE.length + 1) : name;
  return isAmityWebhookEventName(wire) ? wire : AMITY_OTHER_EVENT_LABEL;
}

/**
 * The `listener` label: `Class.method` is bounded by the host's code and kept; a positional key
 * (`amity.story.didCreate#0`, for a listener the library could not name) embeds an event name,
 * which is folded like {@link amityEventLabel}.
 */
export function amityListenerLabel(listener: string): string {
  const hash = listener.lastIndexOf('#');
  if (hash < 0) return listener;
  return `${amityEventLabel(listener.slice(0, hash))}${listener.slice(hash)}`;
}
