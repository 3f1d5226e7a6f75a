export { AmityWebhookMetrics } from './amity-webhook.metrics.js';
export { AMITY_METRIC_NAMES } from './amity-metric.names.js';
export type { AmityMetricsOptions, AmityMetricsRegistry } from './amity-metrics.options.js';
export { AMITY_OTHER_EVENT_LABEL, AMITY_PUSH_EVENT_LABEL, amityEventLabel } from './amity-metric.labels.js';
export { AmityWebhookTracing } from './amity-webhook.tracing.js';
export { AMITY_SPAN_ATTRIBUTES, AMITY_SPAN_NAMES } from './amity-span.names.js';
export {
  AmityWebhookHealthIndicator,
  type AmityWebhookHealthCheckOptions,
  type AmityWebhookHealthDetails,
  type AmityWebhookHealthResult,
} from './amity-webhook.health-indicator.js';
export { amityQueueAdmin } from './amity-queue.inspection.js';
