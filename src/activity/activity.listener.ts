import { Injectable } from '@nestjs/common';
import { OnAmityEvent, type AmityWebhookEvent } from 'nestjs-amity-webhook';
import { InboxService } from '../database/inbox.service.js';
import { ActivityService, type ActivityEntry } from './activity.service.js';

type ReactionEvent = AmityWebhookEvent<'message.didAddReaction' | 'message.didRemoveReaction'>;
type MembershipEvent = AmityWebhookEvent<'channel.didJoin' | 'channel.didLeave'>;

/** The activity listener's name in the inbox: never change it, or past deliveries would be added again. */
export const ACTIVITY_LISTENER = 'activity';

/**
 * Turns message and channel events into per-user activity: messages sent (by their sender),
 * reactions added or removed (by the reactor) and channels joined or left (by each member).
 * A delivery's items are written once, however often it arrives (the inbox holds its `event.id`).
 */
@Injectable()
export class ActivityListener {
  constructor(
    private readonly activity: ActivityService,
    private readonly inbox: InboxService,
  ) {}

  @OnAmityEvent('message.didCreate')
  async onMessageCreated(event: AmityWebhookEvent<'message.didCreate'>): Promise<void> {
    const receivedAt = event.receivedAt.toISOString();
    await this.record(
      event,
      event.data.messages.map((message) => ({
        userId: message.userId,
        item: { event: event.event, channelId: message.channelId, messageId: message.messageId, receivedAt },
      })),
    );
  }

  @OnAmityEvent('message.didAddReaction')
  async onReactionAdded(event: AmityWebhookEvent<'message.didAddReaction'>): Promise<void> {
    await this.record(event, this.reactionEntries(event));
  }

  @OnAmityEvent('message.didRemoveReaction')
  async onReactionRemoved(event: AmityWebhookEvent<'message.didRemoveReaction'>): Promise<void> {
    await this.record(event, this.reactionEntries(event));
  }

  @OnAmityEvent('channel.didJoin')
  async onChannelJoined(event: AmityWebhookEvent<'channel.didJoin'>): Promise<void> {
    await this.record(event, this.membershipEntries(event));
  }

  @OnAmityEvent('channel.didLeave')
  async onChannelLeft(event: AmityWebhookEvent<'channel.didLeave'>): Promise<void> {
    await this.record(event, this.membershipEntries(event));
  }

  /** Writes a delivery's entries once per delivery id (nothing when there are none). */
  private async record(event: AmityWebhookEvent<ActivityEntry['item']['event']>, entries: ActivityEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.inbox.once({ deliveryId: event.id, listener: ACTIVITY_LISTENER, event: event.event }, (tx) => this.activity.record(tx, entries));
  }

  private reactionEntries(event: ReactionEvent): ActivityEntry[] {
    const reactor = event.data.reactor?.userId;
    // Without a reactor the reaction cannot be attributed to anyone's feed.
    if (!reactor) return [];
    const receivedAt = event.receivedAt.toISOString();
    return event.data.messages.map((message) => ({
      userId: reactor,
      item: {
        event: event.event,
        channelId: message.channelId,
        messageId: message.messageId,
        reaction: event.data.reactor?.reactionName,
        receivedAt,
      },
    }));
  }

  private membershipEntries(event: MembershipEvent): ActivityEntry[] {
    const { userIds, users, channel } = event.data;
    // `userIds` names who joined or left; older payloads only list them in `users`.
    const members = new Set(userIds.length > 0 ? userIds : users.map((user) => user.userId));
    const receivedAt = event.receivedAt.toISOString();
    const entries: ActivityEntry[] = [];
    for (const { channelId } of channel) {
      for (const userId of members) entries.push({ userId, item: { event: event.event, channelId, receivedAt } });
    }
    return entries;
  }
}
