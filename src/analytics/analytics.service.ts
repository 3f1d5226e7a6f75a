import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DatabaseConnection, type AppDatabase } from '../database/database.connection.js';
import { analyticsEventCounts } from '../database/database.schema.js';
import type { AnalyticsSummary } from './analytics-summary.interface.js';

/**
 * Counts accepted webhook events per wire event name, in the database. Bounded without pruning:
 * one row per name, and names come only from correctly signed deliveries (the library refuses
 * malformed ones).
 */
@Injectable()
export class AnalyticsService {
  constructor(private readonly connection: DatabaseConnection) {}

  /** Counts one accepted event, through `tx` (the listener's inbox transaction). */
  async record(tx: AppDatabase, event: string): Promise<void> {
    await tx
      .insert(analyticsEventCounts)
      .values({ event, count: 1 })
      .onConflictDoUpdate({ target: analyticsEventCounts.event, set: { count: sql`${analyticsEventCounts.count} + 1` } });
  }

  /** Totals so far. Sorted here rather than in SQL, so the order does not depend on the server's collation. */
  async summary(): Promise<AnalyticsSummary> {
    const rows = await this.connection.db.select().from(analyticsEventCounts);
    const counts = new Map(rows.map((row) => [row.event, row.count]));
    const names = [...counts.keys()].sort();
    let total = 0;
    for (const count of counts.values()) total += count;
    return { total, byEvent: Object.fromEntries(names.map((name) => [name, counts.get(name)!])) };
  }
}
