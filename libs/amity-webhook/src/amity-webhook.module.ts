import { Module } from '@nestjs/common';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from './amity-webhook.constants.js';
import { AMITY_WEBHOOK_MODULE_OPTIONS, AmityWebhookConfigurableModule } from './amity-webhook.module-definition.js';
import { AmityDeliveryWorker } from './dispatch/amity-delivery.worker.js';
import { AmityListenerInvoker } from './dispatch/amity-listener.invoker.js';
import { AmityWebhookDispatcher } from './dispatch/amity-webhook.dispatcher.js';
import { AmityEventFactory } from './events/amity-event.factory.js';
import { AmityWebhookGuard } from './guard/amity-webhook.guard.js';
import type { AmityWebhookModuleOptions } from './interfaces/amity-webhook-options.interface.js';
import { AmityWebhookRejections } from './logging/amity-webhook.rejections.js';
import { resolveAmityWebhookOptions, type ResolvedAmityWebhookOptions } from './options/amity-webhook-options.resolver.js';
import { AMITY_DELIVERY_QUEUE } from './queue/amity-delivery.queue.js';
import { AmityMemoryQueue } from './queue/amity-memory.queue.js';
import { AmityBullmqQueue } from './queue/bullmq/amity-bullmq.queue.js';
import { AmityRawBodyCapture } from './receiver/amity-raw-body.capture.js';
import { AmityWebhookReceiver } from './receiver/amity-webhook.receiver.js';
import { AmityWebhookStats } from './stats/amity-webhook.stats.js';
import { AmityWebhookHealthIndicator } from './observability/amity-webhook.health-indicator.js';
import { AmityWebhookMetrics } from './observability/amity-webhook.metrics.js';
import { AmityWebhookTracing } from './observability/amity-webhook.tracing.js';

/**
 * Receives social.plus (formerly Amity) webhooks: a controller on `POST /<path>` (the host's
 * global prefix applies) whose guard verifies `x-amity-signature` on the exact bytes, answers
 * `200 {}` once the delivery is queued, and emits each accepted event on the host's
 * `EventEmitter2` as `amity.<event>`. Needs `EventEmitterModule.forRoot({ wildcard: true })`.
 *
 * @example
 * AmityWebhookModule.forRoot({ secrets: process.env.AMITY_WEBHOOK_SECRETS!, decorators: [Public()] })
 */
@Module({
  providers: [
    {
      provide: AMITY_WEBHOOK_RESOLVED_OPTIONS,
      useFactory: (options: AmityWebhookModuleOptions) => resolveAmityWebhookOptions(options),
      inject: [AMITY_WEBHOOK_MODULE_OPTIONS],
    },
    {
      provide: AMITY_DELIVERY_QUEUE,
      // Durable mode loads bullmq only here, so an app without `queue` never needs it installed.
      useFactory: async (options: ResolvedAmityWebhookOptions) =>
        options.queue === undefined
          ? new AmityMemoryQueue(options)
          : await AmityBullmqQueue.create(options.queue, { retries: options.retries, retryDelayMs: options.retryDelayMs }),
      inject: [AMITY_WEBHOOK_RESOLVED_OPTIONS],
    },
    AmityWebhookStats,
    AmityWebhookRejections,
    AmityEventFactory,
    AmityListenerInvoker,
    AmityDeliveryWorker,
    AmityWebhookDispatcher,
    AmityWebhookReceiver,
    AmityRawBodyCapture,
    AmityWebhookGuard,
    AmityWebhookMetrics,
    AmityWebhookTracing,
    AmityWebhookHealthIndicator,
  ],
  // The resolved options, the counters and the rejection log are exported so `@UseGuards(AmityWebhookGuard)` resolves in host modules;
  // the health indicator and the queue (dead letters, replay: see `amityQueueAdmin`) for operators' modules.
  exports: [
    AmityWebhookDispatcher,
    AmityWebhookStats,
    AmityWebhookRejections,
    AmityWebhookGuard,
    AMITY_WEBHOOK_RESOLVED_OPTIONS,
    AmityWebhookHealthIndicator,
    AMITY_DELIVERY_QUEUE,
  ],
})
export class AmityWebhookModule extends AmityWebhookConfigurableModule {}
