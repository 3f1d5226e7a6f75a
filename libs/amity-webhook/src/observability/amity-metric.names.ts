// Kept apart from the installer so that the package's declarations never name `prom-client`,
// an optional peer.

/** Names of the module's metrics: stable, documented in the README. */
export const AMITY_METRIC_NAMES = {
  requests: 'amity_webhook_requests_total',
  ackDuration: 'amity_webhook_ack_duration_seconds',
  dispatched: 'amity_webhook_events_dispatched_total',
  invalid: 'amity_webhook_invalid_total',
  handlerFailures: 'amity_webhook_handler_failures_total',
  backlog: 'amity_webhook_backlog',
  deadLetters: 'amity_webhook_dead_letters',
} as const;
