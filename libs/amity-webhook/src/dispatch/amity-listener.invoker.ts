import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AMITY_LISTENER_NAME, AMITY_WEBHOOK_HANDLER_FAILED_EVENT, AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import { takeAmityListenerName } from '../decorators/on-amity-event.decorator.js';
import type { AmityWebhookHandlerFailedEvent } from '../interfaces/amity-webhook-event.interface.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityListenerRef, AmityPreparedDelivery } from '../queue/amity-delivery.queue.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';

type Listener = (...args: unknown[]) => unknown;

/** A listener of a prepared delivery, with the function to call. */
export interface AmityListenerCall extends AmityListenerRef {
  readonly fn: Listener;
  /** An `onAny()` listener, called with (event name, payload) as EventEmitter2 calls them. */
  readonly any: boolean;
}

/** Calls in flight and waiting for one listener: each listener has `concurrency` slots of its own. */
interface Slots {
  active: number;
  readonly waiting: Array<() => void>;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)));
}

/** The error a listener call is failed with when it exceeds `handlerTimeoutMs` (it is not retried). */
export class AmityListenerTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`Listener of ${name} did not finish within ${ms} ms`);
    this.name = 'AmityListenerTimeoutError';
  }
}

/**
 * Calls the listeners of an event, each on its own: found through EventEmitter2's public
 * `listeners()` / `listenersAny()`, run within `handlerTimeoutMs` in the listener's own slots
 * (`concurrency` each, so a hung listener holds only its own), retried on failure with
 * exponential backoff and jitter, and every failed attempt logged and emitted as
 * `amity-webhook.handler-failed`.
 */
@Injectable()
export class AmityListenerInvoker {
  private readonly logger = new Logger('AmityWebhook');
  private readonly slots = new WeakMap<Listener, Slots>();
  /** `Class.method` of the listeners whose handler was seen being entered. */
  private readonly names = new WeakMap<Listener, string>();

  private readonly emitter: EventEmitter2;

  constructor(
    @Optional() @Inject(EventEmitter2) emitter: EventEmitter2 | undefined,
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    private readonly stats: AmityWebhookStats,
  ) {
    if (!emitter) {
      throw new AmityWebhookConfigError(
        'EventEmitter2 is not available: import EventEmitterModule.forRoot({ wildcard: true }) from @nestjs/event-emitter in your app module.',
      );
    }
    this.emitter = emitter;
  }

  /** The listeners of `name` (wildcard matches included), then the `onAny()` ones, keyed by position. */
  listenersOf(name: string): AmityListenerCall[] {
    const own = this.emitter.listeners(name) as Listener[];
    const any = this.emitter.listenersAny() as Listener[];
    return [
      ...own.map((fn, i): AmityListenerCall => ({ key: `${name}#${i}`, fn, any: false })),
      ...any.map((fn, i): AmityListenerCall => ({ key: `${name}#any-${i}`, fn, any: true })),
    ];
  }

  /** Calls every listener of a prepared delivery, each with its retries; resolves when all have ended. */
  async dispatchAll(prepared: AmityPreparedDelivery): Promise<void> {
    await Promise.all(prepared.listeners.map((listener) => this.withRetries(prepared, listener as AmityListenerCall)));
  }

  /**
   * One attempt of one listener, in its slot and within the timeout. Rejects with the listener's
   * error (or a timeout error) after reporting it.
   */
  async invokeOnce(prepared: AmityPreparedDelivery, listener: AmityListenerCall, attempt: number, willRetry: boolean): Promise<void> {
    const slots = this.slotsOf(listener.fn);
    if (slots.active >= this.options.concurrency) await new Promise<void>((resolve) => slots.waiting.push(resolve));
    else slots.active++;
    let timer: NodeJS.Timeout | undefined;
    const startedAt = Date.now();
    const started = performance.now();
    try {
      const call = new Promise<unknown>((resolve) => {
        takeAmityListenerName();
        const result = listener.any ? listener.fn.call(this.emitter, prepared.name, prepared.payload) : listener.fn.call(this.emitter, prepared.payload);
        const name = takeAmityListenerName();
        if (name !== undefined) this.names.set(listener.fn, name);
        resolve(result);
      });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AmityListenerTimeoutError(prepared.name, this.options.handlerTimeoutMs)), this.options.handlerTimeoutMs);
        // A hung listener's deadline alone must not keep a closing process alive.
        timer.unref();
      });
      await Promise.race([call, timeout]);
      this.stats.listenerCalled({ ...this.callInfo(prepared, listener, attempt, startedAt, started), listener: this.nameOf(undefined, listener), outcome: 'succeeded', error: undefined });
    } catch (error) {
      const timedOut = error instanceof AmityListenerTimeoutError;
      this.stats.listenerCalled({
        ...this.callInfo(prepared, listener, attempt, startedAt, started),
        listener: this.nameOf(error, listener),
        outcome: timedOut ? 'timed-out' : 'failed',
        error: asError(error),
      });
      await this.report({
        name: prepared.name,
        listener: this.nameOf(error, listener),
        error: asError(error),
        attempt,
        willRetry: willRetry && !timedOut,
        timedOut,
        deliveryId: prepared.delivery.id,
      });
      throw error;
    } finally {
      clearTimeout(timer);
      this.release(slots);
    }
  }

  /** Attempts a listener until it succeeds, times out (not retried: it may still be running) or runs out of retries. */
  private async withRetries(prepared: AmityPreparedDelivery, listener: AmityListenerCall): Promise<void> {
    const { retries, retryDelayMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.invokeOnce(prepared, listener, attempt, attempt <= retries);
        return;
      } catch (error) {
        if (error instanceof AmityListenerTimeoutError || attempt > retries) return;
      }
      // Exponential backoff with up to 50% jitter, so the retries of a burst do not arrive together.
      const delay = retryDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.5);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private callInfo(prepared: AmityPreparedDelivery, listener: AmityListenerCall, attempt: number, startedAt: number, started: number) {
    return { name: prepared.name, deliveryId: prepared.delivery.id, attempt, startedAt, durationSeconds: (performance.now() - started) / 1000 };
  }

  private slotsOf(fn: Listener): Slots {
    let slots = this.slots.get(fn);
    if (slots === undefined) {
      slots = { active: 0, waiting: [] };
      this.slots.set(fn, slots);
    }
    return slots;
  }

  /** Hands a freed slot to the next waiting call, if any. */
  private release(slots: Slots): void {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.active--;
  }

  /** `Class.method` of an `@OnAmityEvent` handler (seen entered, or named by its error), else the listener's key. */
  private nameOf(error: unknown, listener: AmityListenerCall): string {
    const tagged = error !== null && typeof error === 'object' ? (error as Record<symbol, unknown>)[AMITY_LISTENER_NAME] : undefined;
    return typeof tagged === 'string' ? tagged : (this.names.get(listener.fn) ?? listener.key);
  }

  /**
   * Logs a failed attempt and emits it as `amity-webhook.handler-failed`: an attempt that will be
   * retried is a one-line warning, the last one an error with its stack.
   */
  private async report(failure: AmityWebhookHandlerFailedEvent): Promise<void> {
    const what = `${failure.listener} of ${failure.name} failed on attempt ${failure.attempt} (delivery ${failure.deliveryId}): ${failure.error.message}`;
    if (failure.willRetry) this.logger.warn(`${what}; retrying (attempt ${failure.attempt + 1} of ${this.options.retries + 1})`);
    else this.logger.error(what, failure.timedOut ? undefined : failure.error.stack);
    try {
      await this.emitter.emitAsync(AMITY_WEBHOOK_HANDLER_FAILED_EVENT, failure);
    } catch (error) {
      const err = asError(error);
      this.logger.error(`A listener of ${AMITY_WEBHOOK_HANDLER_FAILED_EVENT} failed: ${err.message}`, err.stack);
    }
  }
}
