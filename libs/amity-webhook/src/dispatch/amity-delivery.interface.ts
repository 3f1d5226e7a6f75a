import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';

/** An accepted (signed, parsed) delivery waiting to be validated and emitted. */
export interface AmityDelivery extends AmityDeliveryInfo {
  /** A webhook event, or a custom push-notification delivery. */
  readonly kind: 'event' | 'push';
  /** The event name exactly as sent (`event` is the catalogue's name after tolerant mapping). */
  readonly wireEvent: string;
  /** For a deprecated legacy name, the current name to use. */
  readonly deprecatedFor?: string | undefined;
  /** Set when the data was already validated on the request path (strict mode). */
  validated: unknown;
  /** Ordering key (`ordering` option), resolved when the delivery is queued. */
  orderingKey?: string | undefined;
}
