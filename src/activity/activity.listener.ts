import { Injectable } from '@nestjs/common';
import { OnAmityEvent, type AmityWebhookEvent } from 'nestjs-amity-webhook';
import { ActivityService } from './activity.service.js';

type ReactionEvent = AmityWebhookEvent<'message.didAddReaction' | 'message.didRemoveReaction'>;
type MembershipEvent = AmityWebhookEvent<'channel.didJoin' | 'channel.didLeave'>;

/**
 * Turns message and channel events into per-user activity: messages sent (by their sender),
 * reactions added or removed (by the reactor) and channels joined or left (by each member).
 */
@Injectable()
export class ActivityListener {
  constructor(private readonly activity: ActivityService) {}

  @OnAmityEvent('message.didCreate')
  onMessageCreated(event: AmityWebhookEvent<'message.didCreate'>): void {
    const receivedAt = event.receivedAt.toISOString();
    for (const message of event.data.messages) {
      this.activity.record(message.userId, { event: event.event, channelId: message.channelId, messageId: message.messageId, receivedAt });
    }
  }

  @OnAmityEvent('message.didAddReaction')
  onReactionAdded(event: AmityWebhookEvent<'message.didAddReaction'>): void {
    this.recordReaction(event);
  }

  @OnAmityEvent('message.didRemoveReaction')
  onReactionRemoved(event: AmityWebhookEvent<'message.didRemoveReaction'>): void {
    this.recordReaction(event);
  }

  @OnAmityEvent('channel.didJoin')
  onChannelJoined(event: AmityWebhookEvent<'channel.didJoin'>): void {
    this.recordMembership(event);
  }

  @OnAmityEvent('channel.didLeave')
  onChannelLeft(event: AmityWebhookEvent<'channel.didLeave'>): void {
    this.recordMembership(event);
  }

  private recordReaction(event: ReactionEvent): void {
    const reactor = event.data.reactor?.userId;
    // Without a reactor the reaction cannot be attributed to anyone's feed.
    if (!reactor) return;
    const receivedAt = event.receivedAt.toISOString();
    for (const message of event.data.messages) {
      this.activity.record(reactor, {
        event: event.event,
        channelId: message.channelId,
        messageId: message.messageId,
        reaction: event.data.reactor?.reactionName,
        receivedAt,
      });
    }
  }

  private recordMembership(event: MembershipEvent): void {
    const { userIds, users, channel } = event.data;
    // `userIds` names who joined or left; older payloads only list them in `users`.
    const members = new Set(userIds.length > 0 ? userIds : users.map((user) => user.userId));
    const receivedAt = event.receivedAt.toISOString();
    for (const { channelId } of channel) {
      for (const userId of members) this.activity.record(userId, { event: event.event, channelId, receivedAt });
    }
  }
}
