import { OnEvent, type OnEventOptions } from '@nestjs/event-emitter';
import { AMITY_EVENT_NAMESPACE, AMITY_LISTENER_NAME } from '../amity-webhook.constants.js';
import type { AmityWebhookEventName } from '../events/amity-event-data.map.js';
import type { AmityAnyWebhookEvent, AmityWebhookEvent } from '../interfaces/amity-webhook-event.interface.js';

/** Options of {@link OnAmityEvent}: those of `@OnEvent`, except `async` (which would hide failures from the dispatcher). */
export type OnAmityEventOptions = Omit<Exclude<OnEventOptions, boolean>, 'async'>;

/** What `@OnAmityEvent(name)` hands its handler: the typed event, or any event for `'**'`. */
export type AmityEventPayload<N extends AmityWebhookEventName | '**'> = N extends AmityWebhookEventName
  ? AmityWebhookEvent<N>
  : AmityAnyWebhookEvent;

function tag(error: unknown, listener: string): unknown {
  const err = error instanceof Error ? error : new Error(String(error));
  if (!Object.hasOwn(err, AMITY_LISTENER_NAME)) {
    Object.defineProperty(err, AMITY_LISTENER_NAME, { value: listener, enumerable: false });
  }
  return err;
}

/**
 * Handles one social.plus webhook event, typed by its wire name: the decorated method receives
 * `AmityWebhookEvent<name>` (`'**'`: every event, as `AmityAnyWebhookEvent`). An unknown name, or
 * a handler whose parameter does not accept that payload, does not compile.
 *
 * A thin wrapper over `@OnEvent('amity.<name>')`. Errors are not swallowed by
 * `@nestjs/event-emitter` (`suppressErrors: false`): the library's dispatcher logs them with the
 * listener's `Class.method`, reports them as `amity-webhook.handler-failed` and retries them.
 *
 * @example
 * \@OnAmityEvent('message.didCreate')
 * onMessage(event: AmityWebhookEvent<'message.didCreate'>) { event.data.messages[0].data?.text }
 */
export function OnAmityEvent<N extends AmityWebhookEventName | '**'>(event: N, options: OnAmityEventOptions = {}) {
  const decorator = OnEvent(`${AMITY_EVENT_NAMESPACE}.${event}`, { suppressErrors: false, ...options });
  // Generic over the method type so the parameter is checked against the event's payload.
  return <M extends (payload: AmityEventPayload<N>) => unknown>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
    const listener = `${target.constructor.name}.${String(propertyKey)}`;
    // Wrapped before @OnEvent stores its metadata on the method, so errors name their listener.
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        throw tag(error, listener);
      }
      if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(tag(error, listener)));
      return result;
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    descriptor.value = wrapped as unknown as M;
    decorator(target, propertyKey, descriptor);
  };
}
