import type { AmityWebhookSource } from '../interfaces/amity-webhook-event.interface.js';

/** An accepted (signed, parsed) delivery waiting to be validated and emitted. */
export interface AmityDelivery {
  readonly event: string;
  readonly data: unknown;
  /** The whole parsed body. */
  readonly payload: unknown;
  readonly receivedAt: Date;
  readonly webhook: AmityWebhookSource;
  /** Set when the data was already validated on the request path (strict mode). */
  validated: unknown;
}
