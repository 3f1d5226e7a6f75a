import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The sample app's tables, as drizzle sees them. The SQL in `migrations/` creates them: change
 * both together (a new migration file, never an edit of an applied one).
 */

/**
 * One row per (delivery, listener) whose effect was recorded. Written in the same transaction as
 * the effect, so a redelivered event finds its row and changes nothing.
 */
export const inbox = pgTable(
  'inbox',
  {
    deliveryId: text('delivery_id').notNull(),
    listener: text('listener').notNull(),
    event: text('event').notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.deliveryId, table.listener] }), index('inbox_handled_at_idx').on(table.handledAt)],
);

/** Accepted deliveries per wire event name. */
export const analyticsEventCounts = pgTable('analytics_event_counts', {
  event: text('event').primaryKey(),
  count: bigint('count', { mode: 'number' }).notNull(),
});

/** Moderation decisions; the newest `MODERATION_MAX_FLAGS` are kept (`id` gives the order). */
export const moderationFlags = pgTable('moderation_flags', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  messageId: text('message_id').notNull(),
  channelId: text('channel_id').notNull(),
  userId: text('user_id').notNull(),
  words: jsonb('words').$type<string[]>().notNull(),
  event: text('event').notNull(),
  flaggedAt: timestamp('flagged_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Activity feed entries; the newest `ACTIVITY_MAX_ITEMS_PER_USER` per user are kept. */
export const activityItems = pgTable(
  'activity_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: text('user_id').notNull(),
    event: text('event').notNull(),
    channelId: text('channel_id').notNull(),
    messageId: text('message_id'),
    reaction: text('reaction'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('activity_items_user_idx').on(table.userId, table.id)],
);

/** Users with a feed, by recency (`lastItemId`): beyond `ACTIVITY_MAX_USERS` the least recent is forgotten. */
export const activityUsers = pgTable(
  'activity_users',
  {
    userId: text('user_id').primaryKey(),
    lastItemId: bigint('last_item_id', { mode: 'number' }).notNull(),
  },
  (table) => [index('activity_users_recency_idx').on(table.lastItemId)],
);
