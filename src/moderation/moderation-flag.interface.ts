/** Message events the moderation use case reviews. */
export type ModeratedEvent = 'message.didCreate' | 'message.didUpdate';

/** One moderation decision: a message whose text contained banned words. */
export interface ModerationFlag {
  readonly messageId: string;
  readonly channelId: string;
  /** The sender. */
  readonly userId: string;
  /** The banned words found, as configured, in order of first appearance. */
  readonly words: readonly string[];
  /** Whether the text was sent or edited. */
  readonly event: ModeratedEvent;
  /** When the decision was taken (ISO 8601). */
  readonly flaggedAt: string;
}
