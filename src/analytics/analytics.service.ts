import { Injectable } from '@nestjs/common';
import type { AnalyticsSummary } from './analytics-summary.interface.js';

/**
 * Counts accepted webhook events in memory, per wire event name. Memory stays bounded because the
 * names come only from correctly signed deliveries (and the library refuses malformed names).
 */
@Injectable()
export class AnalyticsService {
  private total = 0;
  private readonly byEvent = new Map<string, number>();

  /** Counts one accepted event. */
  record(event: string): void {
    this.total++;
    this.byEvent.set(event, (this.byEvent.get(event) ?? 0) + 1);
  }

  /** Totals so far. A `Map` underneath, so an event named like `constructor` is just a key. */
  summary(): AnalyticsSummary {
    const names = [...this.byEvent.keys()].sort();
    return { total: this.total, byEvent: Object.fromEntries(names.map((name) => [name, this.byEvent.get(name)!])) };
  }
}
