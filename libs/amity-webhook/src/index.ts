/**
 * Public API of nestjs-amity-webhook. Everything a host app uses is exported here and only here.
 * @packageDocumentation
 */
export { AmityWebhookModule } from './amity-webhook.module.js';
export {
  AMITY_WEBHOOK_MODULE_OPTIONS,
  type AmityWebhookForRootOptions,
  type AmityWebhookForRootAsyncOptions,
} from './amity-webhook.module-definition.js';
export {
  AMITY_EVENT_NAMESPACE,
  AMITY_WEBHOOK_INVALID_EVENT,
  AMITY_WEBHOOK_HANDLER_FAILED_EVENT,
  AMITY_SIGNATURE_HEADER,
  EKO_SIGNATURE_HEADER,
} from './amity-webhook.constants.js';
export { AmityWebhookDispatcher } from './dispatch/amity-webhook.dispatcher.js';
export { AmityWebhookStats } from './stats/amity-webhook.stats.js';
export type * from './stats/amity-webhook.observer.js';
export { AmityWebhookRejections } from './logging/amity-webhook.rejections.js';
export {
  AMITY_DELIVERY_QUEUE,
  AmityQueueRefusedError,
  type AmityDeliveryQueue,
  type AmityDeliveryProcessor,
  type AmityEnqueueOutcome,
  type AmityListenerRef,
  type AmityParsedDelivery,
  type AmityPreparedDelivery,
  type AmityQueuedDelivery,
} from './queue/amity-delivery.queue.js';
export { AmityMemoryQueue } from './queue/amity-memory.queue.js';
export * from './queue/bullmq/index.js';
/** Name of the BullMQ queue that durable mode stores deliveries in (Redis keys `<prefix>:deliveries:*`), for tools such as Bull Board. */
export { AMITY_BULLMQ_QUEUE_NAME } from './queue/bullmq/amity-bullmq.jobs.js';
export {
  AMITY_QUEUE_DEFAULTS,
  type AmityQueueOptions,
  type AmityRedisConnectionOptions,
} from './queue/amity-queue.options.js';
export { AmityListenerTimeoutError } from './dispatch/amity-listener.invoker.js';
export { amityOrderingKey } from './dispatch/amity-ordering-key.js';
export * from './idempotency/index.js';
export * from './security/index.js';
export * from './decorators/index.js';
export * from './dto/index.js';
export * from './errors/index.js';
export * from './guard/index.js';
export * from './events/index.js';
export * from './interfaces/index.js';
export { signAmityPayload, verifyAmitySignature } from './signature/amity-signature.js';
export { validateAmityEventData, type AmityValidationResult } from './validation/amity-event.validator.js';
export * from './observability/index.js';
