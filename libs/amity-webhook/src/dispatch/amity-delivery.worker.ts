import { Injectable, Logger } from '@nestjs/common';
import { AMITY_WEBHOOK_INVALID_EVENT } from '../amity-webhook.constants.js';
import { AmityEventFactory } from '../events/amity-event.factory.js';
import type { AmityDeliveryProcessor, AmityListenerRef, AmityPreparedDelivery, AmityQueuedDelivery } from '../queue/amity-delivery.queue.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { AmityListenerInvoker, type AmityListenerCall } from './amity-listener.invoker.js';

/** How many prepared deliveries are kept for the retry jobs that may follow their first calls. */
const RECENT_PREPARED = 512;

/**
 * What a queue calls to process a stored delivery: build its event, find its listeners, call
 * them. The in-memory queue uses `dispatch`; a durable queue calls `invoke` for each listener,
 * and again from the retry job of a listener that failed, so that each is retried on its own.
 */
@Injectable()
export class AmityDeliveryWorker implements AmityDeliveryProcessor {
  private readonly logger = new Logger('AmityWebhook');
  /** The deliveries prepared last, by id, oldest first. */
  private readonly recent = new Map<string, AmityPreparedDelivery>();

  constructor(
    private readonly factory: AmityEventFactory,
    private readonly invoker: AmityListenerInvoker,
    private readonly stats: AmityWebhookStats,
  ) {}

  prepare(delivery: AmityQueuedDelivery): AmityPreparedDelivery {
    // A durable queue prepares a delivery in its job and again in the retry job of each listener
    // that failed; in one process the event built the first time serves them while it is recent.
    const cached = this.recent.get(delivery.id);
    if (cached !== undefined) return { ...cached, delivery, listeners: this.invoker.listenersOf(cached.name) };
    const built = this.factory.build(delivery);
    const prepared = { delivery, event: built.event, name: built.name, payload: built.payload, listeners: this.invoker.listenersOf(built.name), issues: built.issues };
    this.remember(delivery.id, prepared);
    return prepared;
  }

  private remember(id: string, prepared: AmityPreparedDelivery): void {
    this.recent.set(id, prepared);
    if (this.recent.size > RECENT_PREPARED) this.recent.delete(this.recent.keys().next().value!);
  }

  handedOut(prepared: AmityPreparedDelivery): void {
    const { issues, event, delivery } = prepared;
    if (issues === undefined) return;
    const first = issues
      .slice(0, 3)
      .map((issue) => `${issue.path || '(root)'}: ${Object.values(issue.constraints).join('; ')}`)
      .join(' | ');
    this.logger.warn(`Signed ${event || 'delivery'} ${delivery.id} failed validation (${issues.length} issue(s): ${first}); emitted as ${AMITY_WEBHOOK_INVALID_EVENT}`);
    this.stats.deliveryInvalid({ event, deliveryId: delivery.id });
  }

  invoke(prepared: AmityPreparedDelivery, listener: AmityListenerRef, attempt: number, willRetry: boolean): Promise<void> {
    return this.invoker.invokeOnce(prepared, listener as AmityListenerCall, attempt, willRetry);
  }

  calledOnce(prepared: AmityPreparedDelivery): void {
    this.handedOut(prepared);
    this.stats.deliveryProcessed({ event: prepared.event, deliveryId: prepared.delivery.id });
  }

  async dispatch(prepared: AmityPreparedDelivery): Promise<void> {
    this.handedOut(prepared);
    try {
      await this.invoker.dispatchAll(prepared);
    } finally {
      this.stats.deliveryProcessed({ event: prepared.event, deliveryId: prepared.delivery.id });
    }
  }
}
