import type { AmityValidationIssue, AmityWebhookSource } from '../interfaces/amity-webhook-event.interface.js';

/**
 * A verified delivery as a queue stores it: the exact bytes and what the receiver knew when it
 * accepted them. This is everything a worker needs, in this process or another one after a restart.
 */
export interface AmityQueuedDelivery {
  /** Delivery id: SHA-256 of the exact body, base64url. Identical bodies share it; a durable queue uses it as the job id. */
  readonly id: string;
  /** The exact bytes received. */
  readonly body: Buffer;
  /** When the request arrived. */
  readonly receivedAt: Date;
  /** Which configured secret verified it. */
  readonly webhook: AmityWebhookSource;
  /**
   * What the receiver already parsed from `body`. An in-memory queue passes it on (the worker
   * does not parse again); a durable queue stores only the fields above, and the worker parses `body`.
   */
  readonly parsed?: AmityParsedDelivery;
}

/** A signed body after parsing and envelope normalisation (see `normalizeAmityEnvelope`). */
export interface AmityParsedDelivery {
  /** A webhook event, or a custom push-notification delivery. */
  readonly kind: 'event' | 'push';
  /** The catalogue's name (after tolerant mapping), or the push `data.eventName`. */
  readonly event: string;
  /** The name exactly as sent. */
  readonly wireEvent: string;
  /** For a deprecated legacy name, the current name to use. */
  readonly deprecatedFor: string | undefined;
  /** `data` as received. */
  readonly data: unknown;
  /** The whole parsed body. */
  readonly payload: unknown;
  /** The validated instance when the receiver validated it already (strict mode). */
  readonly validated: unknown;
}

/**
 * What {@link AmityDeliveryQueue.enqueue} reports: `accepted` once the delivery is stored (and
 * will be processed), `duplicate` when one with the same id is already stored within the
 * idempotency window (acknowledge it, do not process it again).
 */
export type AmityEnqueueOutcome = 'accepted' | 'duplicate';

/** One listener of a prepared delivery, as a queue schedules it. */
export interface AmityListenerRef {
  /**
   * Stable across processes running the same code: `Class.method` when the library knows it,
   * else `<event name>#<position>`. A durable queue keys a failed listener's retry job with it.
   */
  readonly key: string;
}

/** A delivery turned into what its listeners receive. */
export interface AmityPreparedDelivery {
  readonly delivery: AmityQueuedDelivery;
  /** The event's name as in the catalogue (as sent for events the library does not know), for logs and metrics. */
  readonly event: string;
  /** The event name on the host's bus (`amity.message.didCreate`, `amity-webhook.invalid`, `amity-push.*`). */
  readonly name: string;
  /** What each listener is called with. */
  readonly payload: unknown;
  /** Listeners to call, in registration order. */
  readonly listeners: readonly AmityListenerRef[];
  /** For a payload that failed validation (emitted as `amity-webhook.invalid`), why. */
  readonly issues?: readonly AmityValidationIssue[];
}

/** How a queue turns stored deliveries into listener calls; provided by the module. */
export interface AmityDeliveryProcessor {
  /**
   * Parses, validates and builds the event of a stored delivery, and lists its listeners. Never
   * throws for bad data, logs nothing and counts nothing: it runs again for each retry job.
   */
  prepare(delivery: AmityQueuedDelivery): AmityPreparedDelivery;
  /**
   * Counts and logs a prepared delivery once, when it is handed to its listeners (an invalid
   * payload is warned about here). `dispatch` does it itself.
   */
  handedOut(prepared: AmityPreparedDelivery): void;
  /**
   * For a durable queue: every listener of the delivery was called once (see `handedOut`), and
   * it counts as dispatched from here on (a listener that failed retries, or ends as a dead
   * letter, in a job of its own).
   */
  calledOnce(prepared: AmityPreparedDelivery): void;
  /**
   * Calls one listener once, within `handlerTimeoutMs`. Resolves when it succeeded; rejects with
   * its error (or a timeout error) otherwise, after reporting the failure with `willRetry`.
   */
  invoke(prepared: AmityPreparedDelivery, listener: AmityListenerRef, attempt: number, willRetry: boolean): Promise<void>;
  /** Calls every listener of a prepared delivery with the module's timeouts and retries (in-process). */
  dispatch(prepared: AmityPreparedDelivery): Promise<void>;
}

/**
 * The seam between receiving and processing. The receiver stores a verified delivery here and
 * answers `200 {}` only once `enqueue` resolved. Implementations: the in-memory queue (the
 * default) and the BullMQ queue (durable mode).
 */
export interface AmityDeliveryQueue {
  /**
   * Stores a delivery. Resolves once it is stored as durably as this backend stores anything.
   * Throws {@link AmityQueueRefusedError} when it cannot take the delivery (full, closing, store
   * unavailable): the sender then gets `503`.
   */
  enqueue(delivery: AmityQueuedDelivery): AmityEnqueueOutcome | Promise<AmityEnqueueOutcome>;
  /** Starts processing stored deliveries with `processor` (not called on receive-only instances). */
  start(processor: AmityDeliveryProcessor): void | Promise<void>;
  /** Deliveries accepted and not finished (waiting, active or delayed). */
  backlog(): number | Promise<number>;
  /** Resolves once no accepted delivery is left unfinished (for tests and tools). */
  onIdle(): Promise<void>;
  /**
   * Stops taking deliveries, then waits up to `timeoutMs` for those in flight. What is not
   * finished stays stored (durable) or is handed to `onUnfinished` (memory).
   */
  close(timeoutMs: number): Promise<void>;
}

/** Why a queue refused a delivery; the receiver answers `503` with this message. */
export class AmityQueueRefusedError extends Error {
  constructor(
    message: string,
    /** `full`, `closing` or `unavailable`: for logs and metrics. */
    readonly reason: 'full' | 'closing' | 'unavailable',
  ) {
    super(message);
    this.name = 'AmityQueueRefusedError';
  }
}

/** Injection token of the module's {@link AmityDeliveryQueue}. */
export const AMITY_DELIVERY_QUEUE = Symbol('AMITY_DELIVERY_QUEUE');
