import { Logger } from '@nestjs/common';
import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { amityDeliveryInfo } from './amity-delivery.info.js';
import {
  AmityQueueRefusedError,
  type AmityDeliveryProcessor,
  type AmityDeliveryQueue,
  type AmityEnqueueOutcome,
  type AmityQueuedDelivery,
} from './amity-delivery.queue.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/**
 * The embedded default: deliveries wait in process memory, bounded by `maxQueueSize` (claims in
 * flight included), with duplicate suppression through the configured idempotency store and
 * optional per-entity ordering (the next delivery of an entity starts once the previous one has
 * finished). Nothing survives a crash: use the BullMQ queue for that.
 */
export class AmityMemoryQueue implements AmityDeliveryQueue {
  private readonly logger = new Logger('AmityWebhook');
  private processor: AmityDeliveryProcessor | undefined;
  /** Accepted and not finished. */
  private pending = 0;
  /** Idempotency claims not answered yet: they count against the bound too. */
  private claiming = 0;
  private closing = false;
  /** Accepted before `start`. */
  private readonly held: AmityQueuedDelivery[] = [];
  /** Deliveries parked behind one of the same entity, by ordering key; a key is present while its entity is busy. */
  private readonly parked = new Map<string, AmityQueuedDelivery[]>();
  private readonly keys = new WeakMap<AmityQueuedDelivery, string>();
  private readonly inFlight = new Set<AmityQueuedDelivery>();
  private idleWaiters: Array<() => void> = [];
  private storeOutage = false;

  constructor(private readonly options: ResolvedAmityWebhookOptions) {}

  enqueue(delivery: AmityQueuedDelivery): AmityEnqueueOutcome | Promise<AmityEnqueueOutcome> {
    if (this.closing) throw new AmityQueueRefusedError('Shutting down', 'closing');
    if (this.pending + this.claiming >= this.options.maxQueueSize) throw new AmityQueueRefusedError('Webhook queue is full', 'full');
    const idempotency = this.options.idempotency;
    if (idempotency === undefined) return this.accept(delivery);
    let key = delivery.id;
    if (idempotency.key) {
      try {
        key = idempotency.key(amityDeliveryInfo(delivery)) ?? delivery.id;
      } catch (error) {
        this.logger.warn(`idempotency.key threw (${amityErrorMessage(error)}); using the delivery id`);
      }
    }
    let claimed: boolean | Promise<boolean>;
    try {
      claimed = idempotency.store.claim(key, idempotency.ttlMs);
    } catch (error) {
      return this.claimFailed(delivery, error);
    }
    if (typeof claimed === 'boolean') return claimed ? this.accept(delivery) : 'duplicate';
    this.claiming++;
    return claimed.then(
      (first) => {
        this.claiming--;
        return first ? this.accept(delivery) : 'duplicate';
      },
      (error: unknown) => {
        this.claiming--;
        return this.claimFailed(delivery, error);
      },
    );
  }

  start(processor: AmityDeliveryProcessor): void {
    this.processor = processor;
    for (const delivery of this.held.splice(0)) this.schedule(delivery);
  }

  backlog(): number {
    return this.pending;
  }

  onIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    if (this.pending === 0) return;
    this.logger.log(`Finishing ${this.pending} accepted webhook deliveries before shutdown (up to ${timeoutMs} ms)`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const unfinished = await Promise.race([this.onIdle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (!unfinished) return;
    const left = [...this.inFlight, ...this.held, ...[...this.parked.values()].flat()];
    this.logger.error(
      `Shutdown grace of ${timeoutMs} ms elapsed with ${left.length} deliveries unfinished: ${left.map((d) => `${d.parsed?.event ?? 'delivery'}#${d.id}`).join(', ')}`,
    );
    const hook = this.options.onUnfinished;
    if (!hook) return;
    try {
      await hook(left.map((d): AmityDeliveryInfo => amityDeliveryInfo(d)));
    } catch (error) {
      this.logger.error(`onUnfinished failed: ${amityErrorMessage(error)}`, error instanceof Error ? error.stack : undefined);
    }
  }

  /** A store that fails must not cost the event: accept it (a duplicate is the lesser harm). */
  private claimFailed(delivery: AmityQueuedDelivery, error: unknown): AmityEnqueueOutcome {
    if (!this.storeOutage) {
      this.storeOutage = true;
      this.logger.warn(`Idempotency store failed (${amityErrorMessage(error)}); accepting deliveries without duplicate suppression`);
    }
    return this.accept(delivery);
  }

  private accept(delivery: AmityQueuedDelivery): AmityEnqueueOutcome {
    this.storeOutage = false;
    this.pending++;
    const key = this.orderingKey(delivery);
    if (key !== undefined) this.keys.set(delivery, key);
    if (this.processor) this.schedule(delivery);
    else this.held.push(delivery);
    return 'accepted';
  }

  private orderingKey(delivery: AmityQueuedDelivery): string | undefined {
    const orderingKey = this.options.orderingKey;
    if (!orderingKey) return undefined;
    try {
      return orderingKey(amityDeliveryInfo(delivery));
    } catch (error) {
      this.logger.warn(`The ordering key function threw (${amityErrorMessage(error)}); delivery ${delivery.id} is processed unordered`);
      return undefined;
    }
  }

  private schedule(delivery: AmityQueuedDelivery): void {
    const key = this.keys.get(delivery);
    if (key !== undefined) {
      const line = this.parked.get(key);
      if (line) {
        line.push(delivery);
        return;
      }
      this.parked.set(key, []);
    }
    // After the reply: the acknowledgement is written before any listener runs.
    setImmediate(() => this.run(delivery));
  }

  private run(delivery: AmityQueuedDelivery): void {
    const processor = this.processor!;
    this.inFlight.add(delivery);
    let done: Promise<void>;
    try {
      done = processor.dispatch(processor.prepare(delivery));
    } catch (error) {
      done = Promise.reject(error as Error);
    }
    done
      .catch((error: unknown) => this.logger.error(`Processing delivery ${delivery.id} failed: ${amityErrorMessage(error)}`, error instanceof Error ? error.stack : undefined))
      .finally(() => this.finish(delivery));
  }

  private finish(delivery: AmityQueuedDelivery): void {
    this.inFlight.delete(delivery);
    this.pending--;
    const key = this.keys.get(delivery);
    if (key !== undefined) {
      const line = this.parked.get(key)!;
      const next = line.shift();
      if (next) setImmediate(() => this.run(next));
      else this.parked.delete(key);
    }
    if (this.pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
