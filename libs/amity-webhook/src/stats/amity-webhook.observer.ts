/** How the webhook route answered a request. */
export type AmityRequestOutcome = 'accepted' | 'duplicate' | 'legacy_duplicate' | 'rejected' | 'refused';

/** One answered request to the webhook route. */
export interface AmityRequestAnswered {
  readonly outcome: AmityRequestOutcome;
  /** The HTTP status sent. */
  readonly status: number;
  /** From the start of the request's body to the answer written, in seconds. */
  readonly durationSeconds: number;
  /** When the request started (epoch milliseconds). */
  readonly startedAt: number;
  /** The delivery id, once the body was verified and read. */
  readonly deliveryId: string | undefined;
  /** The event's wire name, once the body was parsed. */
  readonly event: string | undefined;
}

/** One processed delivery, or one delivery that failed validation. */
export interface AmityDeliveryProcessed {
  /** The event's wire name (catalogue name for known events, as sent otherwise). */
  readonly event: string;
  readonly deliveryId: string;
}

/** One call of one listener. */
export interface AmityListenerCalled {
  /** `Class.method` when known, else `<event name>#<position>`. */
  readonly listener: string;
  /** The name on the host's bus, e.g. `amity.message.didCreate`. */
  readonly name: string;
  readonly deliveryId: string;
  /** 1 for the first call. */
  readonly attempt: number;
  readonly outcome: 'succeeded' | 'failed' | 'timed-out';
  /** When the call started (epoch milliseconds) and how long it took, in seconds. */
  readonly startedAt: number;
  readonly durationSeconds: number;
  /** The error of a failed call. */
  readonly error: Error | undefined;
}

/**
 * Watches the delivery pipeline: what metrics, traces and dashboards hook into. Every method is
 * optional and called synchronously after the fact; an observer that throws is logged and
 * otherwise ignored. Register one with `AmityWebhookStats.observe()`.
 */
export interface AmityWebhookObserver {
  requestAnswered?(request: AmityRequestAnswered): void;
  deliveryProcessed?(delivery: AmityDeliveryProcessed): void;
  deliveryInvalid?(delivery: AmityDeliveryProcessed): void;
  listenerCalled?(call: AmityListenerCalled): void;
}
