-- The sample app's state: inbox (effects exactly once), analytics, moderation, activity feed.
-- Applied in order by drizzle-orm's migrator (journal in meta/_journal.json). Never edit a migration
-- once it has been applied anywhere: add the next one.
CREATE TABLE inbox (
  delivery_id text NOT NULL,
  listener text NOT NULL,
  event text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT inbox_pkey PRIMARY KEY (delivery_id, listener)
);
--> statement-breakpoint
CREATE INDEX inbox_handled_at_idx ON inbox (handled_at);
--> statement-breakpoint
CREATE TABLE analytics_event_counts (
  event text PRIMARY KEY,
  count bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE moderation_flags (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  words jsonb NOT NULL,
  event text NOT NULL,
  flagged_at timestamptz NOT NULL
);
--> statement-breakpoint
CREATE TABLE activity_items (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  event text NOT NULL,
  channel_id text NOT NULL,
  message_id text,
  reaction text,
  received_at timestamptz NOT NULL
);
--> statement-breakpoint
CREATE INDEX activity_items_user_idx ON activity_items (user_id, id);
--> statement-breakpoint
CREATE TABLE activity_users (
  user_id text PRIMARY KEY,
  last_item_id bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX activity_users_recency_idx ON activity_users (last_item_id);
