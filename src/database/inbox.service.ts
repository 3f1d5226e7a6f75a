import { Injectable } from '@nestjs/common';
import { lt, sql } from 'drizzle-orm';
import { DatabaseConnection, type AppDatabase } from './database.connection.js';
import { inbox } from './database.schema.js';

/** Which effect of which delivery: the inbox's unique key, plus the event name for inspection. */
export interface InboxEntry {
  /** The delivery id (`AmityWebhookEvent.id`): the same for every redelivery of an event. */
  readonly deliveryId: string;
  /** A stable name of the listener whose effect this is (`analytics`, `moderation`, ...). */
  readonly listener: string;
  /** The event name, e.g. `message.didCreate`. */
  readonly event: string;
}

/**
 * Turns at-least-once delivery into effects that happen once. Delivery may repeat an event (a
 * retry, a redelivery after a crash); each listener records its effect through {@link once}, in
 * the same transaction as a row keyed by (delivery id, listener). A repeat finds the row and does
 * nothing; a failed effect rolls the row back with it, so a retry runs it again.
 */
@Injectable()
export class InboxService {
  constructor(private readonly connection: DatabaseConnection) {}

  /**
   * Runs `effect` in a transaction that first claims `entry`. Resolves `true` when the effect ran
   * and was committed, `false` when this delivery's effect for this listener was recorded before
   * (nothing runs). On a real server a concurrent copy waits on the key and then sees it taken.
   */
  once(entry: InboxEntry, effect: (tx: AppDatabase) => Promise<void>): Promise<boolean> {
    return this.connection.db.transaction(async (tx) => {
      const claimed = await tx.insert(inbox).values(entry).onConflictDoNothing().returning({ deliveryId: inbox.deliveryId });
      if (claimed.length === 0) return false;
      await effect(tx);
      return true;
    });
  }

  /**
   * Deletes inbox rows older than `days` days, and says how many. A delivery redelivered after
   * that would count again, so keep it well above the queue's retry and replay horizon.
   */
  async prune(days: number): Promise<number> {
    const cutoff = sql`now() - make_interval(days => ${days})`;
    const removed = await this.connection.db.delete(inbox).where(lt(inbox.handledAt, cutoff)).returning({ deliveryId: inbox.deliveryId });
    return removed.length;
  }
}
