/** Wire events that appear in activity feeds. */
export type ActivityEvent =
  | 'message.didCreate'
  | 'message.didAddReaction'
  | 'message.didRemoveReaction'
  | 'channel.didJoin'
  | 'channel.didLeave';

/** One entry of a user's activity feed. */
export interface ActivityItem {
  /** What happened, as the wire event name (`message.didCreate`, `channel.didJoin`, ...). */
  readonly event: ActivityEvent;
  readonly channelId: string;
  /** The message sent or reacted to (message events only). */
  readonly messageId?: string;
  /** The reaction added or removed (reaction events only). */
  readonly reaction?: string;
  /** When the webhook arrived (ISO 8601). */
  readonly receivedAt: string;
}
