import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AMITY_DELIVERY_QUEUE, type AmityDeliveryQueue } from '../queue/amity-delivery.queue.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { AmityDeliveryWorker } from './amity-delivery.worker.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/**
 * Runs the delivery pipeline for the app: starts the queue's processing once the host's
 * listeners are registered (a durable queue may hold deliveries from before a restart), and on shutdown refuses new deliveries (`503`) while it finishes the accepted ones, within
 * `shutdownTimeoutMs`. Inject it to read the counters or wait for the queue to empty (tests).
 */
@Injectable()
export class AmityWebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AmityWebhook');
  private started: Promise<void> | undefined;

  constructor(
    @Inject(AMITY_DELIVERY_QUEUE) private readonly queue: AmityDeliveryQueue,
    private readonly worker: AmityDeliveryWorker,
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    /** Counters since start. */
    readonly stats: AmityWebhookStats,
    @Optional() private readonly listenersReady?: EventEmitterReadinessWatcher,
  ) {}

  onApplicationBootstrap(): void {
    // @nestjs/event-emitter registers @OnEvent / @OnAmityEvent listeners in its own bootstrap
    // hook, which may run after this one: wait for it without holding up the hooks in between.
    this.started = (this.listenersReady?.waitUntilReady() ?? Promise.resolve())
      .then(() => this.queue.start(this.worker))
      .catch((error: unknown) => this.logger.error(`Webhook deliveries are not processed: the queue could not start (${amityErrorMessage(error)})`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.started;
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
