import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';

/** An accepted (signed, parsed) delivery waiting to be validated and emitted. */
export interface AmityDelivery extends AmityDeliveryInfo {
  /** Set when the data was already validated on the request path (strict mode). */
  validated: unknown;
  /** Ordering key (`ordering` option), resolved when the delivery is queued. */
  orderingKey?: string | undefined;
}
