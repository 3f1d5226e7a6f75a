import type { Attributes, Context, Tracer } from '@opentelemetry/api';
import type { AmityListenerCalled, AmityRequestAnswered, AmityWebhookObserver } from '../stats/amity-webhook.observer.js';
import { AMITY_SPAN_ATTRIBUTES, AMITY_SPAN_NAMES } from './amity-span.names.js';

/** The parts of `@opentelemetry/api` the spans are made with (the host's copy, loaded on demand). */
export type AmityOtelApi = Pick<typeof import('@opentelemetry/api'), 'context' | 'trace' | 'SpanKind' | 'SpanStatusCode' | 'TraceFlags'>;

/**
 * Spans for the pipeline, made after the fact from what the observer reports (explicit start and
 * end times): one `receive` span per answered request, one `dispatch` span per listener call.
 *
 * The spans of one delivery share a trace whose id is derived from the delivery id (itself the
 * SHA-256 of the body), under a parent span that is never recorded. Any process can compute it,
 * so the receive span and the listener spans of a delivery land in one trace even when a worker
 * elsewhere ran the listeners from the durable queue, and nothing needs carrying through Redis.
 */
export function amityTraceObserver(api: AmityOtelApi, tracer: Tracer): AmityWebhookObserver {
  const parentOf = (deliveryId: string | undefined): Context => {
    const root = api.context.active();
    if (deliveryId === undefined) return root;
    const bytes = Buffer.from(deliveryId, 'base64url');
    if (bytes.length < 24) return root;
    return api.trace.setSpanContext(root, {
      traceId: bytes.subarray(0, 16).toString('hex'),
      spanId: bytes.subarray(16, 24).toString('hex'),
      traceFlags: api.TraceFlags.SAMPLED,
      isRemote: true,
    });
  };

  return {
    requestAnswered(request: AmityRequestAnswered): void {
      const attributes: Attributes = {
        [AMITY_SPAN_ATTRIBUTES.outcome]: request.outcome,
        [AMITY_SPAN_ATTRIBUTES.status]: request.status,
      };
      if (request.deliveryId !== undefined) attributes[AMITY_SPAN_ATTRIBUTES.deliveryId] = request.deliveryId;
      if (request.event !== undefined) attributes[AMITY_SPAN_ATTRIBUTES.event] = request.event;
      const span = tracer.startSpan(
        AMITY_SPAN_NAMES.receive,
        { kind: api.SpanKind.SERVER, startTime: request.startedAt, attributes },
        parentOf(request.deliveryId),
      );
      // A 4xx is the sender's mistake, not ours; a 503 is ours (full, draining, store down).
      if (request.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR, message: request.outcome });
      span.end(request.startedAt + request.durationSeconds * 1000);
    },

    listenerCalled(call: AmityListenerCalled): void {
      const span = tracer.startSpan(
        AMITY_SPAN_NAMES.dispatch,
        {
          kind: api.SpanKind.CONSUMER,
          startTime: call.startedAt,
          attributes: {
            [AMITY_SPAN_ATTRIBUTES.deliveryId]: call.deliveryId,
            [AMITY_SPAN_ATTRIBUTES.event]: call.name,
            [AMITY_SPAN_ATTRIBUTES.listener]: call.listener,
            [AMITY_SPAN_ATTRIBUTES.attempt]: call.attempt,
            [AMITY_SPAN_ATTRIBUTES.outcome]: call.outcome,
          },
        },
        parentOf(call.deliveryId),
      );
      if (call.outcome !== 'succeeded') {
        if (call.error !== undefined) span.recordException(call.error);
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: call.error?.message ?? call.outcome });
      }
      span.end(call.startedAt + call.durationSeconds * 1000);
    },
  };
}
