import 'reflect-metadata';
import { AMITY_EVENT_NAMESPACE, AMITY_LISTENER_METADATA } from '../amity-webhook.constants.js';
import type { AmityWebhookEventName } from '../events/amity-event-data.map.js';
import type { AmityAnyWebhookEvent, AmityWebhookEvent } from '../interfaces/amity-webhook-event.interface.js';

/** Options of {@link OnAmityEvent}. */
export interface OnAmityEventOptions {
  /** Registers the handler ahead of the event's other listeners on `EventEmitter2`. */
  prependListener?: boolean;
}

/** What `@OnAmityEvent` records on a method; read by the library's listener explorer. */
export interface AmityListenerMetadata {
  /** The `EventEmitter2` event: `amity.<wire name>`, or `amity.**`. */
  readonly event: string;
  readonly options: OnAmityEventOptions;
}

/** What `@OnAmityEvent(name)` hands its handler: the typed event, or any event for `'**'`. */
export type AmityEventPayload<N extends AmityWebhookEventName | '**'> = N extends AmityWebhookEventName
  ? AmityWebhookEvent<N>
  : AmityAnyWebhookEvent;

/**
 * Handles one social.plus webhook event, typed by its wire name: the decorated method receives
 * `AmityWebhookEvent<name>` (`'**'`: every event, as `AmityAnyWebhookEvent`). An unknown name, or
 * a handler whose parameter does not accept that payload, does not compile. A method may carry
 * several `@OnAmityEvent`s.
 *
 * The library registers the method on the host's `EventEmitter2` as `amity.<name>` when the app
 * boots, and calls it directly: a synchronous handler costs no promise, and a failure (throw,
 * rejection or timeout) reaches the dispatcher, which logs it with `Class.method` and its stack,
 * retries it and reports it as `amity-webhook.handler-failed`.
 *
 * @example
 * \@OnAmityEvent('message.didCreate')
 * onMessage(event: AmityWebhookEvent<'message.didCreate'>) { event.data.messages[0].data?.text }
 */
export function OnAmityEvent<N extends AmityWebhookEventName | '**'>(event: N, options: OnAmityEventOptions = {}) {
  const entry: AmityListenerMetadata = { event: `${AMITY_EVENT_NAMESPACE}.${event}`, options: { ...options } };
  // Generic over the method type so the parameter is checked against the event's payload.
  return <M extends (payload: AmityEventPayload<N>) => unknown>(
    _target: object,
    _propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    const method = descriptor.value as object;
    const existing = (Reflect.getOwnMetadata(AMITY_LISTENER_METADATA, method) as AmityListenerMetadata[] | undefined) ?? [];
    Reflect.defineMetadata(AMITY_LISTENER_METADATA, [...existing, entry], method);
  };
}
