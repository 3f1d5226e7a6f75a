import type { AmityParsedDelivery } from '../queue/amity-delivery.queue.js';
import { parseAmityJson } from '../receiver/amity-json.parser.js';
import { normalizeAmityEnvelope } from './amity-envelope.normalizer.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/**
 * A parsed body as a delivery: its envelope normalised (catalogue name, push deliveries), or the
 * reason it is not a delivery. Pure.
 */
export function toAmityParsedDelivery(payload: unknown): AmityParsedDelivery | string {
  const envelope = normalizeAmityEnvelope(payload);
  if (envelope.kind === 'invalid') return envelope.reason;
  if (envelope.kind === 'push') {
    return { kind: 'push', event: envelope.name, wireEvent: envelope.name, deprecatedFor: undefined, data: envelope.payload['data'], payload, validated: undefined };
  }
  return { kind: 'event', event: envelope.event, wireEvent: envelope.wireEvent, deprecatedFor: envelope.deprecatedFor, data: envelope.data, payload, validated: undefined };
}

/** {@link toAmityParsedDelivery} of stored bytes (what a durable queue keeps), or why they are not a delivery. */
export function parseAmityDelivery(body: Buffer): AmityParsedDelivery | string {
  let payload: unknown;
  try {
    payload = parseAmityJson(body.toString('utf8'));
  } catch (error) {
    return `malformed JSON: ${amityErrorMessage(error)}`;
  }
  return toAmityParsedDelivery(payload);
}
