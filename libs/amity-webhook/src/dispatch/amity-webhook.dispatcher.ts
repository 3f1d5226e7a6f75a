import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AMITY_EVENT_NAMESPACE, AMITY_WEBHOOK_INVALID_EVENT, AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import { isAmityWebhookEventName } from '../events/amity-event.registry.js';
import type {
  AmityAnyWebhookEvent,
  AmityWebhookInvalidEvent,
} from '../interfaces/amity-webhook-event.interface.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { validateAmityEventData } from '../validation/amity-event.validator.js';
import type { AmityDeliverySink } from '../receiver/amity-webhook.request-handler.js';
import type { AmityDelivery } from './amity-delivery.interface.js';

type Listener = (...args: unknown[]) => unknown;

/** How long shutdown waits for in-flight dispatches before logging what is left. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Turns accepted deliveries into domain events after the response has been sent: validates
 * (lenient mode), then calls every listener of `amity.<event>` with at most `concurrency`
 * deliveries in flight. A listener that throws or rejects is logged with its stack; it never
 * affects the response, the other listeners or the process.
 */
@Injectable()
export class AmityWebhookDispatcher implements AmityDeliverySink, BeforeApplicationShutdown {
  private readonly logger = new Logger('AmityWebhook');
  private readonly queue: AmityDelivery[] = [];
  private head = 0;
  private running = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  private readonly emitter: EventEmitter2;

  constructor(
    @Optional() @Inject(EventEmitter2) emitter: EventEmitter2 | undefined,
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
  ) {
    if (!emitter) {
      throw new AmityWebhookConfigError(
        'EventEmitter2 is not available: import EventEmitterModule.forRoot({ wildcard: true }) from @nestjs/event-emitter in your app module.',
      );
    }
    this.emitter = emitter;
    if (!(emitter as unknown as { wildcard?: boolean }).wildcard) {
      this.logger.warn(
        "EventEmitterModule is configured without `wildcard: true`: exact listeners such as @OnAmityEvent('message.didCreate') work, '@OnEvent(\'amity.**\')' does not.",
      );
    }
  }

  /** Deliveries accepted but not yet finished (queued or in flight). */
  get pending(): number {
    return this.queue.length - this.head + this.running;
  }

  /** Queues a delivery; dispatch starts on a later tick, after the response is written. */
  enqueue(delivery: AmityDelivery): void {
    this.queue.push(delivery);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.pump);
    }
  }

  /** Resolves when every accepted delivery has been dispatched (for tests and shutdown). */
  onIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.pending === 0) return;
    this.logger.log(`Finishing ${this.pending} accepted webhook deliveries before shutdown`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), SHUTDOWN_GRACE_MS);
      timer.unref();
    });
    const finished = await Promise.race([this.onIdle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (finished) {
      const left = this.queue.slice(this.head).map((d) => d.event);
      this.logger.error(
        `Shutdown grace of ${SHUTDOWN_GRACE_MS} ms elapsed with ${this.pending} deliveries unfinished (${this.running} in flight); queued: ${left.join(', ') || 'none'}`,
      );
    }
  }

  private readonly pump = (): void => {
    this.scheduled = false;
    while (this.running < this.options.concurrency && this.head < this.queue.length) {
      const delivery = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as AmityDelivery;
      this.running++;
      void this.dispatch(delivery).finally(this.settle);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  };

  private readonly settle = (): void => {
    this.running--;
    if (this.head < this.queue.length) {
      this.pump();
    } else if (this.running === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  private async dispatch(delivery: AmityDelivery): Promise<void> {
    const { event } = delivery;
    let payload: AmityAnyWebhookEvent;
    if (isAmityWebhookEventName(event)) {
      let data = delivery.validated;
      if (data === undefined) {
        const result = validateAmityEventData(event, delivery.data);
        if (!result.valid) {
          const invalid: AmityWebhookInvalidEvent = {
            event,
            issues: result.issues,
            payload: delivery.payload,
            receivedAt: delivery.receivedAt,
            webhook: delivery.webhook,
          };
          this.logger.warn(`Signed ${event} payload failed validation; emitted as ${AMITY_WEBHOOK_INVALID_EVENT}`);
          await this.emit(AMITY_WEBHOOK_INVALID_EVENT, invalid);
          return;
        }
        data = result.data;
      }
      payload = { event, data, receivedAt: delivery.receivedAt, webhook: delivery.webhook, known: true } as AmityAnyWebhookEvent;
    } else {
      payload = { event, data: delivery.data, receivedAt: delivery.receivedAt, webhook: delivery.webhook, known: false };
    }
    await this.emit(`${AMITY_EVENT_NAMESPACE}.${event}`, payload);
  }

  /** Calls each listener separately so one failure is reported without hiding the others. */
  private async emit(name: string, payload: unknown): Promise<void> {
    const listeners = this.emitter.listeners(name) as Listener[];
    if (listeners.length === 0) return;
    const calls = listeners.map((listener) => this.call(name, listener, payload));
    await Promise.all(calls);
  }

  private async call(name: string, listener: Listener, payload: unknown): Promise<void> {
    try {
      await listener.call(this.emitter, payload);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`A listener of ${name} failed: ${err.message}`, err.stack);
    }
  }
}
