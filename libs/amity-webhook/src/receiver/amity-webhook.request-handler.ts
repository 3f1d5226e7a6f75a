import type { IncomingHttpHeaders } from 'node:http';
import sjson from 'secure-json-parse';
import { AMITY_SIGNATURE_HEADER, EKO_SIGNATURE_HEADER } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { verifyAmitySignature } from '../signature/amity-signature.js';
import { isAmityWebhookEventName } from '../events/amity-event.registry.js';
import { validateAmityEventData } from '../validation/amity-event.validator.js';
import type { AmityDelivery } from '../dispatch/amity-delivery.interface.js';
import { AMITY_ACK, amityErrorReply, type AmityWebhookReply } from './amity-webhook.reply.js';

/** Where accepted deliveries go once the request is answered. */
export interface AmityDeliverySink {
  enqueue(delivery: AmityDelivery): void;
}

/** What the receiver reports about a request it did not dispatch (for debug logging). */
export interface AmityRequestObserver {
  legacyDuplicate(): void;
  rejected(reply: AmityWebhookReply): void;
}

/** Wire names are dotted words; anything else could be read as a wildcard by `EventEmitter2`. */
const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;
const MAX_EVENT_NAME_LENGTH = 128;

const MISSING_SIGNATURE = amityErrorReply(401, `Missing ${AMITY_SIGNATURE_HEADER} header`);
const BAD_SIGNATURE = amityErrorReply(401, `Invalid ${AMITY_SIGNATURE_HEADER} signature`);
const EMPTY_BODY = amityErrorReply(400, 'Empty request body');
const MALFORMED_JSON = amityErrorReply(400, 'Malformed JSON body');
const NOT_AN_ENVELOPE = amityErrorReply(400, 'Body must be a JSON object {"event": "<name>", "data": {...}}');
const BAD_EVENT_NAME = amityErrorReply(400, '"event" must be a dotted event name such as "message.didCreate"');

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  // A repeated header is ambiguous: treat it as malformed rather than pick one.
  return typeof value === 'string' ? value : undefined;
}

/**
 * The request path, independent of the HTTP adapter: signature, legacy duplicate, parse, (strict)
 * validation, enqueue, reply. Kept synchronous and allocation-light; validation and emission of
 * lenient deliveries happen after the reply, in the dispatcher.
 */
export class AmityWebhookRequestHandler {
  private readonly keys;

  constructor(
    private readonly options: ResolvedAmityWebhookOptions,
    private readonly sink: AmityDeliverySink,
    private readonly observer?: AmityRequestObserver,
  ) {
    this.keys = options.secrets.map((s) => s.key);
  }

  /**
   * Handles one request whose body has been read as raw bytes.
   *
   * @param headers lower-cased request headers (as Node gives them)
   * @param raw the exact bytes received, or `undefined` for a request without a body
   */
  handle(headers: IncomingHttpHeaders, raw: Buffer | undefined): AmityWebhookReply {
    const reply = this.process(headers, raw);
    if (reply !== AMITY_ACK && this.observer) this.observer.rejected(reply);
    return reply;
  }

  private process(headers: IncomingHttpHeaders, raw: Buffer | undefined): AmityWebhookReply {
    const signature = headers[AMITY_SIGNATURE_HEADER];
    if (signature === undefined) {
      if (headers[EKO_SIGNATURE_HEADER] !== undefined) {
        this.observer?.legacyDuplicate();
        return AMITY_ACK;
      }
      return MISSING_SIGNATURE;
    }
    if (raw === undefined || raw.length === 0) return EMPTY_BODY;

    const index = verifyAmitySignature(raw, header(headers, AMITY_SIGNATURE_HEADER), this.keys);
    if (index < 0) return BAD_SIGNATURE;

    let payload: unknown;
    try {
      // Signed, so from social.plus; still, `__proto__` / `constructor.prototype` keys are dropped
      // so nothing downstream (class-transformer, spreads) can reach an object's prototype.
      payload = sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'remove', constructorAction: 'remove' });
    } catch {
      return MALFORMED_JSON;
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return NOT_AN_ENVELOPE;
    const envelope = payload as { event?: unknown; data?: unknown };
    const event = envelope.event;
    if (typeof event !== 'string') return NOT_AN_ENVELOPE;
    if (event.length > MAX_EVENT_NAME_LENGTH || !EVENT_NAME.test(event)) return BAD_EVENT_NAME;

    const secret = this.options.secrets[index]!;
    const delivery: AmityDelivery = {
      event,
      data: envelope.data,
      payload,
      receivedAt: new Date(),
      webhook: { index: secret.index, label: secret.label },
      validated: undefined,
    };

    if (this.options.strict && isAmityWebhookEventName(event)) {
      const result = validateAmityEventData(event, envelope.data);
      if (!result.valid) {
        return amityErrorReply(400, `Invalid payload for ${event}`, { issues: result.issues });
      }
      delivery.validated = result.data;
    }

    this.sink.enqueue(delivery);
    return AMITY_ACK;
  }
}
