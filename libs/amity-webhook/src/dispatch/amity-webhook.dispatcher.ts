import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  AMITY_EVENT_NAMESPACE,
  AMITY_PUSH_EVENT_NAMESPACE,
  AMITY_WEBHOOK_HANDLER_FAILED_EVENT,
  AMITY_WEBHOOK_INVALID_EVENT,
  AMITY_WEBHOOK_RESOLVED_OPTIONS,
} from '../amity-webhook.constants.js';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import { isAmityWebhookEventName } from '../events/amity-event.registry.js';
import { resolveAmityEventContext } from '../events/amity-event.context.js';
import type {
  AmityAnyWebhookEvent,
  AmityDeliveryInfo,
  AmityPushNotificationEvent,
  AmityValidationIssue,
  AmityWebhookHandlerFailedEvent,
  AmityWebhookInvalidEvent,
} from '../interfaces/amity-webhook-event.interface.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { validateParsedAmityEventData } from '../validation/amity-event.validator.js';
import { parseAmityJson } from '../receiver/amity-json.parser.js';
import type { AmityDeliverySink } from '../receiver/amity-webhook.request-handler.js';
import type { AmityDelivery } from './amity-delivery.interface.js';
import { AmityListenerCache } from './amity-listener.cache.js';
import { amityListenerName } from './amity-listener.explorer.js';

type Listener = (...args: unknown[]) => unknown;

/** Counters since start, for metrics and the guarantees script. */
export interface AmityWebhookStats {
  /** Deliveries accepted and queued. */
  accepted: number;
  /** Deliveries answered 200 without dispatch because an identical one was accepted within the window. */
  duplicates: number;
  /** Legacy x-eko-signature requests acknowledged without dispatch. */
  legacyDuplicates: number;
  /** Requests refused (4xx/5xx). */
  rejected: number;
  /** Deliveries that did not fit in the queue (handed to onOverflow, or refused). */
  overflowed: number;
  /** Deliveries fully dispatched (listeners finished, failed or timed out). */
  dispatched: number;
  /** Deliveries emitted as amity-webhook.invalid. */
  invalid: number;
  /** Listener failures (each failed attempt). */
  handlerFailures: number;
}

/** The listener calls of one delivery still running; the delivery settles when the last one ends. */
interface DeliveryRun {
  readonly delivery: AmityDelivery;
  remaining: number;
}

/**
 * A listener call that returned a promise, waiting for its outcome or its deadline. Plain data (no
 * promise or closure of its own), since thousands may be in flight at once.
 */
interface ListenerCall {
  readonly deadline: number;
  readonly run: DeliveryRun;
  readonly name: string;
  readonly listener: Listener;
  readonly payload: unknown;
  readonly attempt: number;
  settled: boolean;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Turns accepted deliveries into domain events after the response has been sent: a bounded
 * in-process queue, `concurrency` deliveries in flight, optional per-entity ordering, validation
 * (lenient mode), then every listener of `amity.<event>` called on its own with a timeout and
 * retries. A failing listener is logged with its stack and reported as
 * `amity-webhook.handler-failed`; it never affects the response, the other listeners or the process.
 */
@Injectable()
export class AmityWebhookDispatcher implements AmityDeliverySink, BeforeApplicationShutdown {
  private readonly logger = new Logger('AmityWebhook');
  private readonly emitter: EventEmitter2;
  private readonly listenerCache: AmityListenerCache;
  private readonly queue: AmityDelivery[] = [];
  private head = 0;
  private running = 0;
  /** Deliveries parked behind one of the same entity, by ordering key. */
  private readonly waiting = new Map<string, AmityDelivery[]>();
  private waitingCount = 0;
  /** Ordering keys with a delivery in flight. */
  private readonly activeKeys = new Set<string>();
  private readonly inFlight = new Set<AmityDelivery>();
  private scheduled = false;
  /** Whether a flush() is pending on process.nextTick. */
  private flushing = false;
  /** Whether startWhileRoom() is running (it is not re-entered). */
  private starting = false;
  /** Parked deliveries whose predecessor of the same entity finished, about to start. */
  private readonly released: AmityDelivery[] = [];
  private idleWaiters: Array<() => void> = [];
  private closing = false;
  /** Listener calls in flight, in deadline order, and the sweeper that times them out. */
  private readonly deadlines = new Set<ListenerCall>();
  private sweeper: NodeJS.Timeout | undefined;
  /** Deprecated names already warned about (once per name). */
  private readonly deprecationsLogged = new Set<string>();
  /** Counters since start. */
  readonly stats: AmityWebhookStats = {
    accepted: 0,
    duplicates: 0,
    legacyDuplicates: 0,
    rejected: 0,
    overflowed: 0,
    dispatched: 0,
    invalid: 0,
    handlerFailures: 0,
  };

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
    this.listenerCache = new AmityListenerCache(emitter);
    if (!(emitter as unknown as { wildcard?: boolean }).wildcard) {
      this.logger.warn(
        "EventEmitterModule is configured without `wildcard: true`: exact listeners such as @OnAmityEvent('message.didCreate') work, @OnEvent('amity.**') does not.",
      );
    }
  }

  /** Deliveries accepted but not finished: queued, waiting for their entity, or in flight. */
  get pending(): number {
    return this.queue.length - this.head + this.waitingCount + this.running;
  }

  /** Whether the application is shutting down (new deliveries are refused). */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Whether one more delivery fits within `maxQueueSize`. */
  hasCapacity(): boolean {
    return this.pending < this.options.maxQueueSize;
  }

  /** Queues a delivery; dispatch starts on a later tick, after the response is written. */
  enqueue(delivery: AmityDelivery): void {
    if (this.options.orderingKey) delivery.orderingKey = this.safeOrderingKey(delivery);
    this.stats.accepted++;
    this.queue.push(delivery);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.pump);
    }
  }

  /**
   * Starts queued deliveries right after the current operation (process.nextTick) rather than on
   * the next turn of the event loop. The fast lane calls it once the reply is on the socket.
   */
  flush(): void {
    if (this.flushing || this.head >= this.queue.length) return;
    this.flushing = true;
    process.nextTick(this.flushNow);
  }

  private readonly flushNow = (): void => {
    this.flushing = false;
    this.startWhileRoom();
  };

  /** Resolves when every accepted delivery has been dispatched (for tests and shutdown). */
  onIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops accepting, then waits up to `shutdownTimeoutMs` for accepted deliveries to finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.pending === 0) return;
    const { shutdownTimeoutMs } = this.options;
    this.logger.log(`Finishing ${this.pending} accepted webhook deliveries before shutdown (up to ${shutdownTimeoutMs} ms)`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), shutdownTimeoutMs);
    });
    const unfinished = await Promise.race([this.onIdle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (!unfinished) return;
    const left: AmityDelivery[] = [...this.inFlight, ...this.queue.slice(this.head), ...[...this.waiting.values()].flat()];
    this.logger.error(
      `Shutdown grace of ${shutdownTimeoutMs} ms elapsed with ${left.length} deliveries unfinished (${this.running} in flight): ` +
        left.map((d) => `${d.event}#${d.id}`).join(', '),
    );
    if (this.options.onUnfinished) {
      try {
        await this.options.onUnfinished(left.map((delivery) => this.info(delivery)));
      } catch (error) {
        const err = asError(error);
        this.logger.error(`onUnfinished failed: ${err.message}`, err.stack);
      }
    }
  }

  /** What hooks see of a delivery: `data` and `payload` as received, read again from the body if released. */
  private info(delivery: AmityDelivery): AmityDeliveryInfo {
    const { id, event, receivedAt, webhook } = delivery;
    let { data, payload } = delivery;
    if (delivery.released) {
      try {
        payload = parseAmityJson(delivery.body.toString('utf8'));
        data = (payload as Record<string, unknown>)['data'];
      } catch {
        // It parsed when it arrived; the bytes have not changed.
      }
    }
    return { id, event, data, payload, receivedAt, webhook };
  }

  private safeOrderingKey(delivery: AmityDelivery): string | undefined {
    try {
      return this.options.orderingKey!(delivery);
    } catch (error) {
      this.logger.warn(`The ordering key function threw (${asError(error).message}); ${delivery.event} is dispatched unordered`);
      return undefined;
    }
  }

  private readonly pump = (): void => {
    this.scheduled = false;
    this.startWhileRoom();
  };

  /**
   * Starts deliveries while there is room: first those released by a finished delivery of the
   * same entity, then the queue. A call made while the loop runs (a synchronous dispatch that
   * settles inside it) returns at once, and the running loop picks up the slot it freed, so the
   * stack never grows with the backlog.
   */
  private startWhileRoom(): void {
    if (this.starting) return;
    this.starting = true;
    try {
      for (;;) {
        const released = this.released.shift();
        if (released !== undefined) {
          // It takes the slot its predecessor freed, and keeps the entity's key.
          this.waitingCount--;
          this.start(released);
          continue;
        }
        if (this.running >= this.options.concurrency || this.head >= this.queue.length) break;
        const delivery = this.queue[this.head]!;
        this.queue[this.head++] = undefined as unknown as AmityDelivery;
        const key = delivery.orderingKey;
        if (key !== undefined && this.activeKeys.has(key)) {
          const parked = this.waiting.get(key);
          if (parked) parked.push(delivery);
          else this.waiting.set(key, [delivery]);
          this.waitingCount++;
          continue;
        }
        this.start(delivery);
      }
    } finally {
      this.starting = false;
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private start(delivery: AmityDelivery): void {
    this.running++;
    if (delivery.orderingKey !== undefined) this.activeKeys.add(delivery.orderingKey);
    this.inFlight.add(delivery);
    let run: DeliveryRun | undefined;
    try {
      run = this.dispatch(delivery);
    } catch (error) {
      this.dispatchFailed(delivery, error);
    }
    // Listeners that finished synchronously settle here; otherwise the run settles the delivery.
    if (run === undefined) this.settle(delivery);
  }

  /** One listener call of `run` ended (whatever its outcome, reported already). */
  private runEnded(run: DeliveryRun): void {
    if (--run.remaining === 0) this.settle(run.delivery);
  }

  /** Counts one more unfinished call in the delivery's run, creating the run on the first. */
  private join(run: DeliveryRun | undefined, delivery: AmityDelivery): DeliveryRun {
    const joined = run ?? { delivery, remaining: 0 };
    joined.remaining++;
    return joined;
  }

  /** Ends one call of `run` once `promise` settles; a rejection (a bug: reports never reject) is logged. */
  private endWhenSettled(run: DeliveryRun, promise: Promise<void>): void {
    promise.then(
      () => this.runEnded(run),
      (error: unknown) => {
        this.dispatchFailed(run.delivery, error);
        this.runEnded(run);
      },
    );
  }

  private dispatchFailed(delivery: AmityDelivery, error: unknown): void {
    const err = asError(error);
    this.logger.error(`Dispatching ${delivery.event} failed: ${err.message}`, err.stack);
  }

  private settle(delivery: AmityDelivery): void {
    this.running--;
    this.stats.dispatched++;
    this.inFlight.delete(delivery);
    const key = delivery.orderingKey;
    if (key !== undefined) {
      const parked = this.waiting.get(key);
      const next = parked?.shift();
      if (next) {
        if (parked!.length === 0) this.waiting.delete(key);
        this.released.push(next);
      } else {
        this.activeKeys.delete(key);
      }
    }
    this.startWhileRoom();
  }

  /**
   * Validates (lenient mode) and emits one delivery. Returns `undefined` when everything finished
   * synchronously, else the run that settles the delivery once its listener calls end.
   */
  private dispatch(delivery: AmityDelivery): DeliveryRun | undefined {
    const { event, id, receivedAt, webhook } = delivery;
    if (delivery.kind === 'push') {
      const push: AmityPushNotificationEvent = { id, name: event, payload: delivery.payload as Record<string, unknown>, receivedAt, webhook };
      return this.emitTo(delivery, AMITY_PUSH_EVENT_NAMESPACE, event, push);
    }
    if (delivery.deprecatedFor !== undefined && !this.deprecationsLogged.has(event)) {
      this.deprecationsLogged.add(event);
      this.logger.warn(`social.plus sent the deprecated event "${event}"; it is emitted as amity.${event}: handle "${delivery.deprecatedFor}" instead`);
    }
    let payload: AmityAnyWebhookEvent;
    if (isAmityWebhookEventName(event)) {
      let data = delivery.validated;
      if (data === undefined) {
        let issues: readonly AmityValidationIssue[] | undefined;
        try {
          const result = validateParsedAmityEventData(event, delivery.data);
          if (result.valid) data = result.data;
          else issues = result.issues;
        } catch (error) {
          // e.g. a stack overflow on absurdly deep nesting: the delivery is still not lost.
          issues = [{ path: 'data', constraints: { validation: `validation failed to run: ${asError(error).message}` } }];
        }
        if (issues) {
          this.stats.invalid++;
          const invalid: AmityWebhookInvalidEvent = { id, event, issues, payload: delivery.payload, receivedAt, webhook };
          this.logger.warn(`Signed ${event} payload failed validation; emitted as ${AMITY_WEBHOOK_INVALID_EVENT}`);
          const run = this.join(undefined, delivery);
          this.endWhenSettled(run, this.emitMeta(AMITY_WEBHOOK_INVALID_EVENT, invalid));
          return run;
        }
      }
      const { subject, actorId, actor } = resolveAmityEventContext(event, data as never);
      payload = { id, event, wireEvent: delivery.wireEvent, data, subject, actorId, actor, receivedAt, webhook, known: true } as AmityAnyWebhookEvent;
      // Listeners get the validated copy; the parsed body need not stay alive for as long as they run.
      delivery.data = undefined;
      delivery.payload = undefined;
      delivery.validated = undefined;
      delivery.released = true;
    } else {
      payload = { id, event, wireEvent: delivery.wireEvent, data: delivery.data, receivedAt, webhook, known: false };
    }
    return this.emitTo(delivery, AMITY_EVENT_NAMESPACE, event, payload);
  }

  /**
   * Calls every listener of `name` on its own (timeout, retries), all at once. Returns the run of
   * the calls still going, or `undefined` when all of them finished synchronously.
   */
  private emitTo(delivery: AmityDelivery, namespace: string, event: string, payload: unknown): DeliveryRun | undefined {
    const { name, listeners } = this.listenerCache.listeners(namespace, event);
    // onAny() listeners take (event name, payload), as EventEmitter2 calls them. (Neither array
    // may be mutated: the cache's is shared, listenersAny() is the emitter's own.)
    const any = this.emitter.listenersAny() as Listener[];
    let run: DeliveryRun | undefined;
    for (let i = 0; i < listeners.length; i++) run = this.runListener(run, delivery, name, listeners[i]!, payload);
    for (let i = 0; i < any.length; i++) {
      const listener = any[i]!;
      run = this.runListener(run, delivery, name, (value: unknown) => listener.call(this.emitter, name, value), payload);
    }
    return run;
  }

  /**
   * Makes the first call of one listener. A call that returns synchronously costs nothing more;
   * one that returns a promise or throws joins the delivery's run (created if needed) and goes on
   * in attempt handling: a deadline, and retries with exponential backoff on failure.
   */
  private runListener(run: DeliveryRun | undefined, delivery: AmityDelivery, name: string, listener: Listener, payload: unknown): DeliveryRun | undefined {
    let result: unknown;
    try {
      result = listener.call(this.emitter, payload);
    } catch (error) {
      const joined = this.join(run, delivery);
      this.attemptFailed(joined, name, listener, payload, 1, error);
      return joined;
    }
    if (!isThenable(result)) return run;
    const joined = this.join(run, delivery);
    this.awaitAttempt(joined, name, listener, payload, 1, result);
    return joined;
  }

  /** Calls a listener again; the call already counts in `run` until its last attempt ends. */
  private attempt(run: DeliveryRun, name: string, listener: Listener, payload: unknown, attempt: number): void {
    let result: unknown;
    try {
      result = listener.call(this.emitter, payload);
    } catch (error) {
      this.attemptFailed(run, name, listener, payload, attempt, error);
      return;
    }
    if (isThenable(result)) this.awaitAttempt(run, name, listener, payload, attempt, result);
    else this.runEnded(run);
  }

  /**
   * Waits for an attempt's promise or its deadline. One shared sweeper checks the deadlines instead
   * of a timer per call: deadlines are added in time order (the timeout is the same for every
   * call), so a sweep stops at the first that is not due.
   */
  private awaitAttempt(run: DeliveryRun, name: string, listener: Listener, payload: unknown, attempt: number, result: PromiseLike<unknown>): void {
    const call: ListenerCall = { deadline: Date.now() + this.options.handlerTimeoutMs, run, name, listener, payload, attempt, settled: false };
    this.deadlines.add(call);
    if (this.sweeper === undefined) this.startSweeper();
    result.then(
      () => this.callSucceeded(call),
      (error: unknown) => this.callFailed(call, error),
    );
  }

  private callSucceeded(call: ListenerCall): void {
    if (call.settled) return;
    call.settled = true;
    this.deadlines.delete(call);
    this.runEnded(call.run);
  }

  private callFailed(call: ListenerCall, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    this.deadlines.delete(call);
    this.attemptFailed(call.run, call.name, call.listener, call.payload, call.attempt, error);
  }

  /** From the sweeper, once the call's deadline passed (it is out of `deadlines` already). A timeout is not retried. */
  private callExpired(call: ListenerCall): void {
    if (call.settled) return;
    call.settled = true;
    const { run, name, attempt } = call;
    const error = new Error(`Listener of ${name} did not finish within ${this.options.handlerTimeoutMs} ms`);
    const listener = amityListenerName(call.listener);
    this.endWhenSettled(run, this.reportFailure({ name, error, attempt, willRetry: false, timedOut: true, deliveryId: run.delivery.id, listener }));
  }

  /** Reports a failed attempt, then calls the listener again after the backoff while retries are left. */
  private attemptFailed(run: DeliveryRun, name: string, listener: Listener, payload: unknown, attempt: number, error: unknown): void {
    const { retries, retryDelayMs } = this.options;
    const willRetry = attempt <= retries;
    const reported = this.reportFailure({
      name,
      error: asError(error),
      attempt,
      willRetry,
      timedOut: false,
      deliveryId: run.delivery.id,
      listener: amityListenerName(listener),
    });
    if (!willRetry) {
      this.endWhenSettled(run, reported);
      return;
    }
    const again = (): void => {
      setTimeout(() => this.attempt(run, name, listener, payload, attempt + 1), retryDelayMs * 2 ** (attempt - 1));
    };
    reported.then(again, (reportError: unknown) => {
      this.dispatchFailed(run.delivery, reportError);
      again();
    });
  }

  private startSweeper(): void {
    const every = Math.min(1000, Math.max(5, Math.floor(this.options.handlerTimeoutMs / 5)));
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const call of this.deadlines) {
        if (call.deadline > now) break;
        this.deadlines.delete(call);
        this.callExpired(call);
      }
      if (this.deadlines.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, every);
    this.sweeper.unref();
  }

  /**
   * Logs a failed attempt and emits it as `amity-webhook.handler-failed`. An attempt that will be
   * retried is a one-line warning; the last one is an error with the stack (formatting a stack
   * and writing it for every attempt of a listener that keeps failing tripled the log and its cost).
   */
  private async reportFailure(failure: AmityWebhookHandlerFailedEvent): Promise<void> {
    this.stats.handlerFailures++;
    const who = failure.listener ?? 'A listener';
    const what = `${who} of ${failure.name} failed on attempt ${failure.attempt}: ${failure.error.message}`;
    if (failure.willRetry) this.logger.warn(`${what}; retrying (attempt ${failure.attempt + 1} of ${this.options.retries + 1})`);
    else this.logger.error(what, failure.error.stack);
    await this.emitMeta(AMITY_WEBHOOK_HANDLER_FAILED_EVENT, failure);
  }

  /** Meta events are delivered once; a failing meta listener is only logged. */
  private async emitMeta(name: string, payload: unknown): Promise<void> {
    try {
      await this.emitter.emitAsync(name, payload);
    } catch (error) {
      const err = asError(error);
      this.logger.error(`A listener of ${name} failed: ${err.message}`, err.stack);
    }
  }
}
