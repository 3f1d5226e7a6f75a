import { OnEvent } from '@nestjs/event-emitter';
import { AMITY_EVENT_NAMESPACE, AMITY_LISTENER_NAME } from '../amity-webhook.constants.js';
import type { AmityWebhookEventName } from '../events/amity-event-data.map.js';
import type { AmityAnyWebhookEvent, AmityWebhookEvent } from '../interfaces/amity-webhook-event.interface.js';

/** Options of {@link OnAmityEvent}. */
export interface OnAmityEventOptions {
  /** Registers the handler ahead of the event's other listeners on `EventEmitter2`. */
  prependListener?: boolean;
}

/** What `@OnAmityEvent(name)` hands its handler: the typed event, or any event for `'**'`. */
export type AmityEventPayload<N extends AmityWebhookEventName | '**'> = N extends AmityWebhookEventName
  ? AmityWebhookEvent<N>
  : AmityAnyWebhookEvent;

/** Marks the methods already wrapped, so a method with several `@OnAmityEvent`s is wrapped once. */
const WRAPPED = Symbol('nestjs-amity-webhook.wrapped');

/** The `Class.method` of the last handler entered, until the library takes it (see takeAmityListenerName). */
let entered: string | undefined;

/**
 * The `Class.method` of the `@OnAmityEvent` handler that the listener call just made entered
 * synchronously, if any, and forgets it. `@nestjs/event-emitter` calls the method at once, so
 * the name is known right after the listener returns; when it is not (a request-scoped provider
 * resolved first), reports fall back to the listener's position.
 * @internal
 */
export function takeAmityListenerName(): string | undefined {
  const name = entered;
  entered = undefined;
  return name;
}

/** Names an error after the handler that threw it, for failure reports (`Class.method`). */
function tag(error: unknown, name: string): unknown {
  const tagged = error !== null && typeof error === 'object' ? error : new Error(String(error));
  if (Object.isExtensible(tagged) && !Object.prototype.hasOwnProperty.call(tagged, AMITY_LISTENER_NAME)) {
    Object.defineProperty(tagged, AMITY_LISTENER_NAME, { value: name });
  }
  return tagged;
}

/**
 * Handles one social.plus webhook event, typed by its wire name: the decorated method receives
 * `AmityWebhookEvent<name>` (`'**'`: every event, as `AmityAnyWebhookEvent`). An unknown name, or
 * a handler whose parameter does not accept that payload, does not compile. A method may carry
 * several `@OnAmityEvent`s.
 *
 * It is `@OnEvent('amity.<name>', { suppressErrors: false })` of `@nestjs/event-emitter`, so its
 * throws and rejections reach the module, which logs them under `Class.method`, retries the
 * handler on its own and reports each failure as `amity-webhook.handler-failed`.
 *
 * @example
 * \@OnAmityEvent('message.didCreate')
 * onMessage(event: AmityWebhookEvent<'message.didCreate'>) { event.data.messages[0].data?.text }
 */
export function OnAmityEvent<N extends AmityWebhookEventName | '**'>(event: N, options: OnAmityEventOptions = {}) {
  const register = OnEvent(`${AMITY_EVENT_NAMESPACE}.${event}`, { prependListener: options.prependListener, suppressErrors: false });
  // Generic over the method type so the parameter is checked against the event's payload.
  return <M extends (payload: AmityEventPayload<N>) => unknown>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const method = descriptor.value as unknown as ((...args: unknown[]) => unknown) & { [WRAPPED]?: true };
    if (typeof method === 'function' && !method[WRAPPED]) {
      const name = `${target.constructor.name}.${String(propertyKey)}`;
      const wrapped = function (this: unknown, ...args: unknown[]): unknown {
        entered = name;
        let result: unknown;
        try {
          result = method.apply(this, args);
        } catch (error) {
          throw tag(error, name);
        }
        if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(tag(error, name)));
        return result;
      };
      Object.defineProperty(wrapped, 'name', { value: method.name });
      Object.defineProperty(wrapped, WRAPPED, { value: true });
      descriptor.value = wrapped as unknown as M;
    }
    register(target, propertyKey, descriptor);
  };
}
