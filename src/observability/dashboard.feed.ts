import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { amityEventLabel, AmityWebhookStats, type AmityRequestOutcome } from 'nestjs-amity-webhook';

const MINUTE_MS = 60_000;
/** Minutes shown by the chart. */
export const DASHBOARD_MINUTES = 60;

/**
 * What the dashboard needs beyond the library's counters: requests by outcome and accepted
 * deliveries per minute and event over the last hour, fed by the webhook module's observer.
 * Events outside the catalogue are folded into `other`, so the buckets stay small whatever is sent.
 */
@Injectable()
export class DashboardFeed implements OnModuleInit, OnModuleDestroy {
  private readonly outcomes: Record<AmityRequestOutcome, number> = { accepted: 0, duplicate: 0, legacy_duplicate: 0, rejected: 0, refused: 0 };
  private failed = 0;
  /** Minute number (epoch minutes) to counts by event; at most `DASHBOARD_MINUTES` entries. */
  private readonly minutes = new Map<number, Map<string, number>>();
  private stop: (() => void) | undefined;

  /** The clock (tests move it). */
  now: () => number = Date.now;

  constructor(private readonly stats: AmityWebhookStats) {}

  onModuleInit(): void {
    this.stop = this.stats.observe({
      requestAnswered: (request) => {
        this.outcomes[request.outcome]++;
        if (request.outcome === 'accepted' && request.event !== undefined) this.count(amityEventLabel(request.event));
      },
      listenerCalled: (call) => {
        if (call.outcome !== 'succeeded') this.failed++;
      },
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  /** Requests by outcome and failed listener calls since start. */
  totals() {
    const { accepted, duplicate, legacy_duplicate, rejected, refused } = this.outcomes;
    return { accepted, duplicate, legacyDuplicate: legacy_duplicate, rejected, refused, failed: this.failed };
  }

  /** The last hour, one entry per minute (oldest first), and its sum by event. */
  lastHour(): { start: string; counts: Array<Record<string, number>>; byEvent: Record<string, number> } {
    const current = Math.floor(this.now() / MINUTE_MS);
    const first = current - DASHBOARD_MINUTES + 1;
    const counts: Array<Record<string, number>> = [];
    const byEvent: Record<string, number> = {};
    for (let minute = first; minute <= current; minute++) {
      const bucket: Record<string, number> = {};
      for (const [event, n] of this.minutes.get(minute) ?? []) {
        bucket[event] = n;
        byEvent[event] = (byEvent[event] ?? 0) + n;
      }
      counts.push(bucket);
    }
    return { start: new Date(first * MINUTE_MS).toISOString(), counts, byEvent };
  }

  private count(event: string): void {
    const minute = Math.floor(this.now() / MINUTE_MS);
    let bucket = this.minutes.get(minute);
    if (bucket === undefined) {
      bucket = new Map();
      this.minutes.set(minute, bucket);
      for (const old of this.minutes.keys()) if (old <= minute - DASHBOARD_MINUTES) this.minutes.delete(old);
    }
    bucket.set(event, (bucket.get(event) ?? 0) + 1);
  }
}
