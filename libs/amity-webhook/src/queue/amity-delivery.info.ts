import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';
import { parseAmityJson } from '../receiver/amity-json.parser.js';
import type { AmityQueuedDelivery } from './amity-delivery.queue.js';

/**
 * What hooks (`onOverflow`, `onUnfinished`, `ordering`, `idempotency.key`) see of a delivery:
 * its id, event name, `data` and whole body as received. A stored delivery without its parsed
 * form is read again from its exact bytes.
 */
export function amityDeliveryInfo(delivery: AmityQueuedDelivery): AmityDeliveryInfo {
  const { id, receivedAt, webhook } = delivery;
  if (delivery.parsed) {
    const { event, data, payload } = delivery.parsed;
    return { id, event, data, payload, receivedAt, webhook };
  }
  let payload: unknown;
  try {
    payload = parseAmityJson(delivery.body.toString('utf8'));
  } catch {
    payload = undefined;
  }
  const record = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  return { id, event: typeof record['event'] === 'string' ? record['event'] : '', data: record['data'], payload, receivedAt, webhook };
}
