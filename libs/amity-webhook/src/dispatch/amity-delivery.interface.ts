import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';

/** An accepted (signed, parsed) delivery waiting to be validated and emitted. */
export interface AmityDelivery extends AmityDeliveryInfo {
  /** A webhook event, or a custom push-notification delivery. */
  readonly kind: 'event' | 'push';
  /** The event name exactly as sent (`event` is the catalogue's name after tolerant mapping). */
  readonly wireEvent: string;
  /** For a deprecated legacy name, the current name to use. */
  readonly deprecatedFor?: string | undefined;
  /** `data` as received, until the delivery is released (see `released`). */
  data: unknown;
  /** The whole parsed body, until the delivery is released (see `released`). */
  payload: unknown;
  /** The exact bytes received (off the JavaScript heap), from which a released delivery is read again. */
  readonly body: Buffer;
  /**
   * Set once listeners have the validated copy: `data` and `payload` are then let go, so a delivery
   * in flight keeps one object graph instead of two. Read them again from `body` if needed.
   */
  released?: boolean;
  /** Set when the data was already validated on the request path (strict mode). */
  validated: unknown;
  /** Ordering key (`ordering` option), resolved when the delivery is queued. */
  orderingKey?: string | undefined;
}
