import { randomUUID } from 'node:crypto';
import type { AmityQueuedDelivery } from '../amity-delivery.queue.js';

/** The BullMQ queue every instance of a prefix shares: keys are `<prefix>:deliveries:*`. */
export const AMITY_BULLMQ_QUEUE_NAME = 'deliveries';

/** Job names: a stored delivery (fanned out to its listeners), and one listener call of it. */
export const AMITY_DELIVERY_JOB = 'delivery';
export const AMITY_LISTENER_JOB = 'listener';

/** A delivery as JSON in a job (and in a spool file): the body in base64, so its bytes are kept exactly. */
export interface AmityDeliveryJobData {
  readonly id: string;
  readonly body: string;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
  readonly webhook: { readonly index: number; readonly label: string };
}

/**
 * One listener's remaining attempts at a delivery, after its call from the delivery job failed:
 * the whole delivery, so that it can be replayed on its own at any time.
 */
export interface AmityListenerJobData extends AmityDeliveryJobData {
  /** The event name on the host's bus, for filters and dashboards. */
  readonly event: string;
  /** {@link AmityListenerRef.key}. */
  readonly listener: string;
  /** Calls of the listener before this job's attempts (the delivery job's; 0 after a replay). */
  readonly callsBefore?: number;
  /** Set when the listener is not to be called again (it timed out, or `retries` is 0): the failure, carried into the failed set. */
  readonly deadLetter?: string;
}

export function toAmityJobData(delivery: AmityQueuedDelivery): AmityDeliveryJobData {
  return {
    id: delivery.id,
    body: delivery.body.toString('base64'),
    receivedAt: delivery.receivedAt.getTime(),
    webhook: { index: delivery.webhook.index, label: delivery.webhook.label },
  };
}

export function fromAmityJobData(data: AmityDeliveryJobData): AmityQueuedDelivery {
  return {
    id: data.id,
    body: Buffer.from(data.body, 'base64'),
    receivedAt: new Date(data.receivedAt),
    webhook: { index: data.webhook.index, label: data.webhook.label },
  };
}

/** BullMQ refuses custom job ids that contain ":"; the other characters are kept readable. */
function jobIdPart(text: string): string {
  return text.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/**
 * Id of the job of one accepted copy of a delivery: the delivery id, then a random suffix. The
 * suffix is what tells a stored copy from a duplicate in one round trip: BullMQ's `add` answers
 * with the id of the job that holds the deduplication key, ours only when we stored it.
 */
export function amityDeliveryJobId(deliveryId: string): string {
  // randomUUID draws from a pooled buffer: a fraction of randomBytes' cost per request.
  return `${jobIdPart(deliveryId)}.${randomUUID()}`;
}

/**
 * Id of a listener's retry job of a delivery job: fixed, so that a delivery job that runs again
 * (its worker died after adding some of them) adds only the missing ones.
 */
export function amityListenerJobId(deliveryJobId: string, listenerKey: string): string {
  return `${deliveryJobId}~${jobIdPart(listenerKey)}`;
}

/** How listener jobs are retried: the module's `retries` and `retryDelayMs`. */
export interface AmityBullmqRetry {
  /** Retries after the first call of a listener. */
  readonly retries: number;
  /** Base of the exponential backoff between attempts. */
  readonly retryDelayMs: number;
}
