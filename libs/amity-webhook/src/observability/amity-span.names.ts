// Kept apart from the trace observer so that the package's declarations never name
// `@opentelemetry/api`, an optional peer.

/** Span names: low cardinality, the details are attributes. */
export const AMITY_SPAN_NAMES = { receive: 'amity-webhook receive', dispatch: 'amity-webhook dispatch' } as const;

/** Attribute keys of the module's spans. */
export const AMITY_SPAN_ATTRIBUTES = {
  deliveryId: 'amity_webhook.delivery_id',
  event: 'amity_webhook.event',
  outcome: 'amity_webhook.outcome',
  listener: 'amity_webhook.listener',
  attempt: 'amity_webhook.attempt',
  status: 'http.response.status_code',
} as const;
