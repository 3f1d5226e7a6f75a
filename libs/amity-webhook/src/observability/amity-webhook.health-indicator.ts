import { Inject, Injectable } from '@nestjs/common';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AMITY_DELIVERY_QUEUE, type AmityDeliveryQueue } from '../queue/amity-delivery.queue.js';
import { amityQueueAdmin } from './amity-queue.inspection.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';
import { amityWithin } from '../errors/amity-no-answer.error.js';

/** What {@link AmityWebhookHealthIndicator.isHealthy} reports under its key. */
export interface AmityWebhookHealthDetails {
  readonly status: 'up' | 'down';
  readonly mode: 'memory' | 'durable';
  /** Deliveries accepted and not finished; absent when Redis could not be asked. */
  readonly backlog?: number;
  /** The bound the backlog must stay under. */
  readonly maxBacklog: number;
  /** Durable mode: whether Redis answered within `timeoutMs`. */
  readonly redis?: 'up' | 'down';
  /** Durable mode: deliveries in the local spool, waiting for Redis (moved as soon as it answers). */
  readonly spooled?: number;
  /** Durable mode: jobs in the failed set (reported, never a reason to be down). */
  readonly deadLetters?: number;
  /** Why the status is `down`. */
  readonly message?: string;
}

/** A `@nestjs/terminus` health indicator result: `{ [key]: { status, ...details } }`. */
export type AmityWebhookHealthResult<Key extends string> = Record<Key, AmityWebhookHealthDetails>;

/** Options of one check. */
export interface AmityWebhookHealthCheckOptions {
  /**
   * The backlog at or above which the receiver is `down`.
   * @default the module's `maxQueueSize`
   */
  maxBacklog?: number;
  /**
   * How long Redis may take to answer (durable mode).
   * @default 1000
   */
  timeoutMs?: number;
}

/**
 * Health of the webhook receiver for `@nestjs/terminus`: `up` while the backlog is under its bound
 * and, in durable mode, Redis answers (a spool being drained is fine). Returns terminus's
 * `HealthIndicatorResult` shape, so the library needs terminus only in the host's health module.
 *
 * @example
 * \@Get('health') \@HealthCheck()
 * check() { return this.health.check([() => this.amity.isHealthy('amity-webhook')]); }
 */
@Injectable()
export class AmityWebhookHealthIndicator {
  constructor(
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    @Inject(AMITY_DELIVERY_QUEUE) private readonly queue: AmityDeliveryQueue,
  ) {}

  /** Checks the receiver; never throws (a failed check is reported `down` with its reason). */
  async isHealthy<const Key extends string = 'amity-webhook'>(
    key: Key = 'amity-webhook' as Key,
    options: AmityWebhookHealthCheckOptions = {},
  ): Promise<AmityWebhookHealthResult<Key>> {
    const maxBacklog = options.maxBacklog ?? this.options.maxQueueSize;
    const details = await this.inspect(maxBacklog, options.timeoutMs ?? 1_000);
    return { [key]: details } as AmityWebhookHealthResult<Key>;
  }

  private async inspect(maxBacklog: number, timeoutMs: number): Promise<AmityWebhookHealthDetails> {
    const admin = amityQueueAdmin(this.queue);
    if (admin === undefined) {
      const backlog = await this.queue.backlog();
      return backlog < maxBacklog
        ? { status: 'up', mode: 'memory', backlog, maxBacklog }
        : { status: 'down', mode: 'memory', backlog, maxBacklog, message: `backlog ${backlog} reached its bound ${maxBacklog}` };
    }
    try {
      const [stats, total] = await amityWithin(Promise.all([admin.stats(), this.queue.backlog()]), timeoutMs);
      // The queue's backlog counts spooled deliveries on top of the jobs.
      const details = { mode: 'durable', redis: 'up', backlog: total, maxBacklog, spooled: Math.max(0, total - stats.backlog), deadLetters: stats.failed } as const;
      return total < maxBacklog ? { status: 'up', ...details } : { status: 'down', ...details, message: `backlog ${total} reached its bound ${maxBacklog}` };
    } catch (error) {
      return { status: 'down', mode: 'durable', redis: 'down', maxBacklog, message: `Redis: ${amityErrorMessage(error)}` };
    }
  }
}
