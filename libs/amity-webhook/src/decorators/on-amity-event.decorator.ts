import { OnEvent, type OnEventOptions } from '@nestjs/event-emitter';
import { AMITY_EVENT_NAMESPACE } from '../amity-webhook.constants.js';
import type { AmityWebhookEventName } from '../events/amity-event-data.map.js';
import type { AmityWebhookEvent } from '../interfaces/amity-webhook-event.interface.js';

/** Options of {@link OnAmityEvent}: those of `@OnEvent`, except `async` (which would hide failures from the dispatcher). */
export type OnAmityEventOptions = Omit<Exclude<OnEventOptions, boolean>, 'async'>;

/**
 * Handles one social.plus webhook event, typed by its wire name: the decorated method receives
 * `AmityWebhookEvent<name>`. An unknown name, or a handler whose parameter does not accept that
 * payload, does not compile.
 *
 * A thin wrapper over `@OnEvent('amity.<name>')`. Failures are not swallowed by `@nestjs/event-emitter`
 * (`suppressErrors: false`) so the library's dispatcher logs them with the event they belong to.
 *
 * @example
 * \@OnAmityEvent('message.didCreate')
 * onMessage(event: AmityWebhookEvent<'message.didCreate'>) { event.data.messages[0].text }
 */
export function OnAmityEvent<N extends AmityWebhookEventName>(event: N, options: OnAmityEventOptions = {}) {
  const decorator = OnEvent(`${AMITY_EVENT_NAMESPACE}.${event}`, { suppressErrors: false, ...options });
  // Generic over the method type so the parameter is checked against the event's payload.
  return <M extends (payload: AmityWebhookEvent<N>) => unknown>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    decorator(target, propertyKey, descriptor);
  };
}

/** The payload type of `@OnAmityEvent(name)`, e.g. `AmityEventPayload<'message.didCreate'>`. */
export type AmityEventPayload<N extends AmityWebhookEventName> = AmityWebhookEvent<N>;
