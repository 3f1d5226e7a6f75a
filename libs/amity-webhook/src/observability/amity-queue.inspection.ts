import type { AmityDeliveryQueue } from '../queue/amity-delivery.queue.js';
import type { AmityBullmqAdmin } from '../queue/bullmq/amity-bullmq.admin.js';
import { AmityBullmqQueue } from '../queue/bullmq/amity-bullmq.queue.js';

/** The durable queue's admin (job counts, dead letters), or `undefined` for the in-memory queue. */
export function amityQueueAdmin(queue: AmityDeliveryQueue): AmityBullmqAdmin | undefined {
  return queue instanceof AmityBullmqQueue ? queue.admin : undefined;
}
