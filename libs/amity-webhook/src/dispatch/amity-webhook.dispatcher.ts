import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AMITY_DELIVERY_QUEUE, type AmityDeliveryQueue } from '../queue/amity-delivery.queue.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { AmityDeliveryWorker } from './amity-delivery.worker.js';

/**
 * Runs the delivery pipeline for the app: starts the queue's processing when the module starts,
 * and on shutdown refuses new deliveries (`503`) while it finishes the accepted ones, within
 * `shutdownTimeoutMs`. Inject it to read the counters or wait for the queue to empty (tests).
 */
@Injectable()
export class AmityWebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(AMITY_DELIVERY_QUEUE) private readonly queue: AmityDeliveryQueue,
    private readonly worker: AmityDeliveryWorker,
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    /** Counters since start. */
    readonly stats: AmityWebhookStats,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.queue.start(this.worker);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close(this.options.shutdownTimeoutMs);
  }

  /** Deliveries accepted and not finished. */
  backlog(): number | Promise<number> {
    return this.queue.backlog();
  }

  /** Resolves once every accepted delivery has been processed. */
  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }
}
