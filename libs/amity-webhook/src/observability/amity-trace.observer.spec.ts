import { describe, expect, it } from '@jest/globals';
import * as api from '@opentelemetry/api';
import { createHash } from 'node:crypto';
import { amityTraceObserver } from './amity-trace.observer.js';

interface Recorded {
  name: string;
  options: api.SpanOptions;
  parent: api.SpanContext | undefined;
  status?: api.SpanStatus;
  exceptions: unknown[];
  end?: api.TimeInput;
}

/** A tracer that records what it is asked, as an SDK would receive it. */
function recordingTracer(): { tracer: api.Tracer; spans: Recorded[] } {
  const spans: Recorded[] = [];
  const tracer = {
    startSpan(name: string, options: api.SpanOptions = {}, context?: api.Context) {
      const recorded: Recorded = { name, options, parent: context && api.trace.getSpanContext(context), exceptions: [] };
      spans.push(recorded);
      const span = api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT);
      return Object.assign(Object.create(span) as api.Span, {
        setStatus: (status: api.SpanStatus) => ((recorded.status = status), span),
        recordException: (error: unknown) => void recorded.exceptions.push(error),
        end: (time?: api.TimeInput) => void (recorded.end = time),
      });
    },
  } as unknown as api.Tracer;
  return { tracer, spans };
}

const deliveryId = createHash('sha256').update('{"event":"message.didCreate"}').digest('base64url');

describe('amityTraceObserver', () => {
  it('makes receive and dispatch spans with their times, attributes and one trace per delivery', () => {
    const { tracer, spans } = recordingTracer();
    const observer = amityTraceObserver(api, tracer);
    observer.requestAnswered!({ outcome: 'accepted', status: 200, durationSeconds: 0.004, startedAt: 1_000, deliveryId, event: 'message.didCreate' });
    const error = new Error('listener exploded');
    observer.listenerCalled!({
      listener: 'Moderation.onMessage',
      name: 'amity.message.didCreate',
      deliveryId,
      attempt: 2,
      outcome: 'failed',
      startedAt: 2_000,
      durationSeconds: 0.5,
      error,
    });

    const [receive, dispatch] = spans;
    expect(receive).toMatchObject({
      name: 'amity-webhook receive',
      options: {
        kind: api.SpanKind.SERVER,
        startTime: 1_000,
        attributes: {
          'amity_webhook.outcome': 'accepted',
          'http.response.status_code': 200,
          'amity_webhook.delivery_id': deliveryId,
          'amity_webhook.event': 'message.didCreate',
        },
      },
      end: 1_004,
      exceptions: [],
    });
    expect(receive!.status).toBeUndefined();
    expect(dispatch).toMatchObject({
      name: 'amity-webhook dispatch',
      options: {
        kind: api.SpanKind.CONSUMER,
        startTime: 2_000,
        attributes: { 'amity_webhook.listener': 'Moderation.onMessage', 'amity_webhook.attempt': 2, 'amity_webhook.outcome': 'failed' },
      },
      end: 2_500,
      status: { code: api.SpanStatusCode.ERROR, message: 'listener exploded' },
      exceptions: [error],
    });
    // Both under the same (never recorded) parent, computed from the delivery id alone.
    expect(receive!.parent).toEqual(dispatch!.parent);
    expect(receive!.parent).toMatchObject({ traceId: Buffer.from(deliveryId, 'base64url').subarray(0, 16).toString('hex'), isRemote: true });
    expect(api.isSpanContextValid(receive!.parent!)).toBe(true);
  });

  it('leaves a request without a delivery id at the root and marks a refusal as an error', () => {
    const { tracer, spans } = recordingTracer();
    const observer = amityTraceObserver(api, tracer);
    observer.requestAnswered!({ outcome: 'rejected', status: 401, durationSeconds: 0.001, startedAt: 5, deliveryId: undefined, event: undefined });
    observer.requestAnswered!({ outcome: 'refused', status: 503, durationSeconds: 0.001, startedAt: 5, deliveryId, event: 'message.didCreate' });
    expect(spans[0]!.parent).toBeUndefined();
    expect(spans[0]!.status).toBeUndefined();
    expect(spans[0]!.options.attributes).not.toHaveProperty('amity_webhook.delivery_id');
    expect(spans[1]!.status).toEqual({ code: api.SpanStatusCode.ERROR, message: 'refused' });
  });
});
