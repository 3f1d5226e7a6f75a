import { Injectable, Logger } from '@nestjs/common';
import type {
  AmityDeliveryProcessed,
  AmityListenerCalled,
  AmityRequestAnswered,
  AmityWebhookObserver,
} from './amity-webhook.observer.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/**
 * Counters of the module since the app started, and the observers (metrics, traces) that watch
 * the pipeline. Each unit of the request path reports what it decides here; hosts read the
 * counters and register observers.
 */
@Injectable()
export class AmityWebhookStats {
  private readonly logger = new Logger('AmityWebhook');
  private readonly observers: AmityWebhookObserver[] = [];

  /** Deliveries stored in the queue (acknowledged with `200 {}`). */
  accepted = 0;
  /** Deliveries answered `200 {}` without processing because the same delivery was stored within the window. */
  duplicates = 0;
  /** Legacy `x-eko-signature` requests acknowledged without processing. */
  legacyDuplicates = 0;
  /** Requests refused with a 4xx or 5xx answer of the module. */
  rejected = 0;
  /** Deliveries that did not fit in the queue (handed to `onOverflow`, or refused). */
  overflowed = 0;
  /** Deliveries fully processed (every listener finished, failed or timed out). */
  dispatched = 0;
  /** Deliveries emitted as `amity-webhook.invalid`. */
  invalid = 0;
  /** Listener failures (each failed attempt). */
  handlerFailures = 0;

  /**
   * Registers an observer of the pipeline.
   * @returns a function that removes it
   */
  observe(observer: AmityWebhookObserver): () => void {
    this.observers.push(observer);
    return () => {
      const index = this.observers.indexOf(observer);
      if (index >= 0) this.observers.splice(index, 1);
    };
  }

  /** @internal Reported by the body capture when the answer has been written. */
  requestAnswered(request: AmityRequestAnswered): void {
    this.notify('requestAnswered', request);
  }

  /** @internal Reported by the worker when every listener of a delivery has finished. */
  deliveryProcessed(delivery: AmityDeliveryProcessed): void {
    this.dispatched++;
    this.notify('deliveryProcessed', delivery);
  }

  /** @internal Reported by the worker for a delivery that failed validation. */
  deliveryInvalid(delivery: AmityDeliveryProcessed): void {
    this.invalid++;
    this.notify('deliveryInvalid', delivery);
  }

  /** @internal Reported by the listener invoker after each call. */
  listenerCalled(call: AmityListenerCalled): void {
    if (call.outcome !== 'succeeded') this.handlerFailures++;
    this.notify('listenerCalled', call);
  }

  private notify<K extends keyof AmityWebhookObserver>(method: K, value: Parameters<NonNullable<AmityWebhookObserver[K]>>[0]): void {
    for (const observer of this.observers) {
      const fn = observer[method] as ((value: unknown) => void) | undefined;
      if (fn === undefined) continue;
      try {
        fn.call(observer, value);
      } catch (error) {
        this.logger.error(`An AmityWebhookObserver failed in ${method}: ${amityErrorMessage(error)}`);
      }
    }
  }
}
