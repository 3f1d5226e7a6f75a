import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';
import { parseAmityDelivery } from '../events/amity-delivery.parser.js';
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
  const parsed = parseAmityDelivery(delivery.body);
  if (typeof parsed === 'string') return { id, event: '', data: undefined, payload: undefined, receivedAt, webhook };
  return { id, event: parsed.event, data: parsed.data, payload: parsed.payload, receivedAt, webhook };
}
