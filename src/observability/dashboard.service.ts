import { Inject, Injectable } from '@nestjs/common';
import { AMITY_DELIVERY_QUEUE, amityQueueAdmin, AmityWebhookDispatcher, type AmityBullmqAdmin, type AmityDeliveryQueue, type AmityReplayResult } from 'nestjs-amity-webhook';
import { ModerationService } from '../moderation/moderation.service.js';
import type { DashboardDeadLetter, DashboardSnapshot } from './dashboard-snapshot.interface.js';
import { DashboardFeed } from './dashboard.feed.js';

const FLAGS_SHOWN = 10;
const DEAD_LETTERS_SHOWN = 50;
/** A dashboard refresh must not hang on a Redis that does not answer. */
const REDIS_PATIENCE_MS = 1_000;

/** Which dead letters a replay moves back to the queue; nothing given means all of them. */
export interface DashboardReplayFilter {
  readonly event?: string;
  readonly listener?: string;
}

/** Assembles the dashboard's data and runs its replay action (durable mode). */
@Injectable()
export class DashboardService {
  private readonly admin: AmityBullmqAdmin | undefined;

  constructor(
    private readonly feed: DashboardFeed,
    private readonly dispatcher: AmityWebhookDispatcher,
    private readonly moderation: ModerationService,
    @Inject(AMITY_DELIVERY_QUEUE) queue: AmityDeliveryQueue,
  ) {
    this.admin = amityQueueAdmin(queue);
  }

  async snapshot(): Promise<DashboardSnapshot> {
    const { start, counts, byEvent } = this.feed.lastHour();
    const [backlog, flags, deadLetters] = await Promise.all([
      patiently(Promise.resolve().then(() => this.dispatcher.backlog())),
      this.moderation.list(),
      this.admin ? patiently(this.deadLetters(this.admin)) : null,
    ]);
    return {
      generatedAt: new Date().toISOString(),
      mode: this.admin ? 'durable' : 'memory',
      totals: this.feed.totals(),
      backlog,
      perMinute: { start, counts },
      byEvent,
      flags: flags.slice(0, FLAGS_SHOWN),
      deadLetters,
    };
  }

  /** Moves the matching dead letters back to wait; `undefined` in memory mode (there are none). */
  replay(filter: DashboardReplayFilter): Promise<AmityReplayResult> | undefined {
    return this.admin?.replayFailed({ event: filter.event, listener: filter.listener });
  }

  private async deadLetters(admin: AmityBullmqAdmin): Promise<{ total: number; items: DashboardDeadLetter[] }> {
    const letters = await admin.listFailed();
    return {
      total: letters.length,
      items: letters.slice(0, DEAD_LETTERS_SHOWN).map((letter) => ({
        jobId: letter.jobId,
        deliveryId: letter.deliveryId,
        event: letter.event ?? null,
        listener: letter.listener ?? null,
        failedAt: letter.failedAt?.toISOString() ?? null,
        attemptsMade: letter.attemptsMade,
        reason: letter.reason,
      })),
    };
  }
}

/** The value, or `null` when it cannot be had within `REDIS_PATIENCE_MS`. */
async function patiently<T>(promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), REDIS_PATIENCE_MS)))]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
