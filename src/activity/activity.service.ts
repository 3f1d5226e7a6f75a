import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { DatabaseConnection, type AppDatabase } from '../database/database.connection.js';
import { activityItems, activityUsers } from '../database/database.schema.js';
import type { ActivityEvent, ActivityItem } from './activity-item.interface.js';
import { activityConfig, type ActivityConfig } from './activity.config.js';

/** One item for one user's feed. */
export interface ActivityEntry {
  readonly userId: string;
  readonly item: ActivityItem;
}

/**
 * Per-user activity feeds in the database, bounded twice: the newest `maxItemsPerUser` items per
 * user, and at most `maxUsers` users (the one inactive for longest is forgotten first). Both
 * bounds are applied as items are written, in the same transaction.
 */
@Injectable()
export class ActivityService {
  constructor(
    @Inject(activityConfig.KEY) private readonly config: ActivityConfig,
    private readonly connection: DatabaseConnection,
  ) {}

  /** Adds the entries, in order, through `tx` (the listener's inbox transaction). */
  async record(tx: AppDatabase, entries: readonly ActivityEntry[]): Promise<void> {
    let newUsers = false;
    for (const { userId, item } of entries) {
      const [inserted] = await tx
        .insert(activityItems)
        .values({
          userId,
          event: item.event,
          channelId: item.channelId,
          messageId: item.messageId ?? null,
          reaction: item.reaction ?? null,
          receivedAt: new Date(item.receivedAt),
        })
        .returning({ id: activityItems.id });
      const [user] = await tx
        .insert(activityUsers)
        .values({ userId, lastItemId: inserted!.id })
        .onConflictDoUpdate({ target: activityUsers.userId, set: { lastItemId: inserted!.id } })
        // `xmax = 0` only on a row this statement inserted: a user new to the feeds.
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      newUsers ||= user?.inserted === true;
      const olderItems = tx
        .select({ id: activityItems.id })
        .from(activityItems)
        .where(eq(activityItems.userId, userId))
        .orderBy(desc(activityItems.id))
        .offset(this.config.maxItemsPerUser);
      await tx.delete(activityItems).where(and(eq(activityItems.userId, userId), inArray(activityItems.id, olderItems)));
    }
    // Only a new user can take the count over the limit.
    if (newUsers) await this.forgetLeastRecentUsers(tx);
  }

  /** `userId`'s recent activity, newest first; empty for a user never seen. */
  async feed(userId: string): Promise<ActivityItem[]> {
    const rows = await this.connection.db
      .select()
      .from(activityItems)
      .where(eq(activityItems.userId, userId))
      .orderBy(desc(activityItems.id))
      .limit(this.config.maxItemsPerUser);
    return rows.map((row) => ({
      event: row.event as ActivityEvent,
      channelId: row.channelId,
      ...(row.messageId === null ? {} : { messageId: row.messageId }),
      ...(row.reaction === null ? {} : { reaction: row.reaction }),
      receivedAt: row.receivedAt.toISOString(),
    }));
  }

  private async forgetLeastRecentUsers(tx: AppDatabase): Promise<void> {
    const beyondLimit = tx.select({ userId: activityUsers.userId }).from(activityUsers).orderBy(desc(activityUsers.lastItemId)).offset(this.config.maxUsers);
    const forgotten = await tx.delete(activityUsers).where(inArray(activityUsers.userId, beyondLimit)).returning({ userId: activityUsers.userId });
    if (forgotten.length === 0) return;
    await tx.delete(activityItems).where(
      inArray(
        activityItems.userId,
        forgotten.map((user) => user.userId),
      ),
    );
  }
}
