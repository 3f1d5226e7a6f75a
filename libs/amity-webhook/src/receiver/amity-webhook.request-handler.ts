import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AMITY_SIGNATURE_HEADER, EKO_SIGNATURE_HEADER } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { verifyAmitySignature, type AmitySignatureDigests } from '../signature/amity-signature.js';
import { isAmityWebhookEventName } from '../events/amity-event.registry.js';
import { normalizeAmityEnvelope } from '../events/amity-envelope.normalizer.js';
import { validateParsedAmityEventData } from '../validation/amity-event.validator.js';
import { newestAmityTimestamp } from '../security/amity-event-age.js';
import type { AmityDelivery } from '../dispatch/amity-delivery.interface.js';
import { parseAmityJson } from './amity-json.parser.js';
import { AMITY_ACK, amityErrorReply, type AmityWebhookReply } from './amity-webhook.reply.js';

/** Where accepted deliveries go once the request is answered. */
export interface AmityDeliverySink {
  /** Queues a delivery; it starts on a later turn of the event loop unless flush() comes first. */
  enqueue(delivery: AmityDelivery): void;
  /**
   * Starts what is queued right after the current operation (process.nextTick), instead of on the
   * next turn of the event loop. For receivers that call it once their reply is written.
   */
  flush?(): void;
  /** Whether one more delivery fits in the bounded queue. */
  hasCapacity(): boolean;
  /** Whether the application is shutting down. */
  readonly isClosing: boolean;
}

/** What the receiver reports about requests it did not dispatch (for logging and counters). */
export interface AmityRequestObserver {
  legacyDuplicate(): void;
  duplicate(delivery: AmityDelivery): void;
  rejected(reply: AmityWebhookReply): void;
  overflow(delivery: AmityDelivery, handedOff: boolean): void;
  storeFailed(error: unknown): void;
}

const MISSING_SIGNATURE = amityErrorReply(401, `Missing ${AMITY_SIGNATURE_HEADER} header`);
const BAD_SIGNATURE = amityErrorReply(401, `Invalid ${AMITY_SIGNATURE_HEADER} signature`);
const EMPTY_BODY = amityErrorReply(400, 'Empty request body');
const MALFORMED_JSON = amityErrorReply(400, 'Malformed JSON body');
const STALE = amityErrorReply(400, 'Stale event: its newest timestamp is older than the configured maxEventAgeMs');
const FORBIDDEN = amityErrorReply(403, 'Source address not allowed');
const FULL = amityErrorReply(503, 'Webhook queue is full; delivery not accepted');
const CLOSING = amityErrorReply(503, 'Shutting down; delivery not accepted');

/**
 * The request path, independent of the HTTP adapter: signature, legacy duplicate, parse, (strict)
 * validation, staleness, capacity, duplicate suppression, enqueue, reply. Synchronous unless an
 * asynchronous idempotency store (Redis) is configured. Validation and emission of lenient
 * deliveries happen after the reply, in the dispatcher.
 */
export class AmityWebhookRequestHandler {
  private readonly keys;
  /** Filled by each verification (synchronous), read right after it. */
  private readonly digests: AmitySignatureDigests = { first: undefined };

  constructor(
    private readonly options: ResolvedAmityWebhookOptions,
    private readonly sink: AmityDeliverySink,
    private readonly observer?: Partial<AmityRequestObserver>,
  ) {
    this.keys = options.secrets.map((s) => s.key);
  }

  /**
   * Tells the handler that the reply to the last request has been written (its bytes handed to
   * the socket): queued deliveries may start now. A delivery then lives for microseconds instead
   * of until the next turn of the event loop, which keeps it out of the garbage collector's old
   * generation under load.
   */
  replied(): void {
    this.sink.flush?.();
  }

  /** `undefined` when the source may deliver (no allowlist, or allowed), else the `403` reply. */
  checkSource(ip: string | undefined): AmityWebhookReply | undefined {
    const allowlist = this.options.allowlist;
    if (allowlist === undefined || allowlist.allows(ip)) return undefined;
    this.observer?.rejected?.(FORBIDDEN);
    return FORBIDDEN;
  }

  /**
   * Handles one request whose body has been read as raw bytes.
   *
   * @param headers lower-cased request headers (as Node gives them)
   * @param raw the exact bytes received, or `undefined` for a request without a body
   */
  handle(headers: IncomingHttpHeaders, raw: Buffer | undefined): AmityWebhookReply | Promise<AmityWebhookReply> {
    const reply = this.process(headers, raw);
    if (reply !== AMITY_ACK && !(reply instanceof Promise)) this.observer?.rejected?.(reply);
    return reply;
  }

  private process(headers: IncomingHttpHeaders, raw: Buffer | undefined): AmityWebhookReply | Promise<AmityWebhookReply> {
    const signature = headers[AMITY_SIGNATURE_HEADER];
    if (signature === undefined) {
      if (headers[EKO_SIGNATURE_HEADER] !== undefined) {
        this.observer?.legacyDuplicate?.();
        return AMITY_ACK;
      }
      return MISSING_SIGNATURE;
    }
    if (raw === undefined || raw.length === 0) return EMPTY_BODY;

    // A repeated header arrives joined ("a, b") and fails the shape check: ambiguous is invalid.
    const index = verifyAmitySignature(raw, typeof signature === 'string' ? signature : undefined, this.keys, this.digests);
    const keyed = this.digests.first;
    if (index < 0 || keyed === undefined) return BAD_SIGNATURE;
    if (this.sink.isClosing) return CLOSING;

    let payload: unknown;
    try {
      payload = parseAmityJson(raw.toString('utf8'));
    } catch {
      return MALFORMED_JSON;
    }
    const envelope = normalizeAmityEnvelope(payload);
    if (envelope.kind === 'invalid') return amityErrorReply(400, envelope.reason);
    const push = envelope.kind === 'push';
    const event = push ? envelope.name : envelope.event;
    const data = push ? envelope.payload['data'] : envelope.data;

    const secret = this.options.secrets[index]!;
    const delivery: AmityDelivery = {
      // SHA-256 of the body's HMAC under the first secret: the same for identical bodies whichever
      // webhook signed them, without hashing the body again, and no use as a signature.
      id: hash('sha256', keyed, 'base64url'),
      kind: envelope.kind,
      event,
      wireEvent: push ? event : envelope.wireEvent,
      deprecatedFor: push ? undefined : envelope.deprecatedFor,
      data,
      payload,
      body: raw,
      receivedAt: new Date(),
      webhook: { index: secret.index, label: secret.label },
      validated: undefined,
    };

    if (this.options.strict && !push && isAmityWebhookEventName(event)) {
      const result = validateParsedAmityEventData(event, data);
      if (!result.valid) {
        return amityErrorReply(400, `Invalid payload for ${event}`, { issues: result.issues });
      }
      delivery.validated = result.data;
    }

    const maxAge = this.options.maxEventAgeMs;
    if (maxAge !== undefined) {
      const newest = newestAmityTimestamp(data);
      if (newest !== undefined && delivery.receivedAt.getTime() - newest > maxAge) return STALE;
    }

    if (!this.sink.hasCapacity()) return this.overflow(delivery);
    return this.claimAndEnqueue(delivery);
  }

  /** A delivery the queue has no room for goes to `onOverflow` if the host gave one, else `503`. */
  private overflow(delivery: AmityDelivery): AmityWebhookReply {
    const hook = this.options.onOverflow;
    if (hook) {
      try {
        hook(delivery);
        this.observer?.overflow?.(delivery, true);
        return AMITY_ACK;
      } catch {
        // fall through: the host could not take it, so the sender must learn it failed
      }
    }
    this.observer?.overflow?.(delivery, false);
    return FULL;
  }

  private claimAndEnqueue(delivery: AmityDelivery): AmityWebhookReply | Promise<AmityWebhookReply> {
    const idempotency = this.options.idempotency;
    if (idempotency === undefined) return this.accept(delivery);
    let key: string;
    try {
      key = idempotency.key?.(delivery) ?? delivery.id;
    } catch {
      key = delivery.id;
    }
    let claimed: boolean | Promise<boolean>;
    try {
      claimed = idempotency.store.claim(key, idempotency.ttlMs);
    } catch (error) {
      return this.storeFailed(delivery, error);
    }
    if (typeof claimed === 'boolean') return claimed ? this.accept(delivery) : this.duplicate(delivery);
    return claimed.then(
      (first) => (first ? this.accept(delivery) : this.duplicate(delivery)),
      (error: unknown) => this.storeFailed(delivery, error),
    );
  }

  private accept(delivery: AmityDelivery): AmityWebhookReply {
    this.sink.enqueue(delivery);
    return AMITY_ACK;
  }

  private duplicate(delivery: AmityDelivery): AmityWebhookReply {
    this.observer?.duplicate?.(delivery);
    return AMITY_ACK;
  }

  /** A store outage must not cost the event: dispatch it (a duplicate is the lesser harm). */
  private storeFailed(delivery: AmityDelivery, error: unknown): AmityWebhookReply {
    this.observer?.storeFailed?.(error);
    return this.accept(delivery);
  }
}
