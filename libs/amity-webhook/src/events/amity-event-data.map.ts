import type {
  AmityChannelDidAddUsersEventDataDto,
  AmityChannelDidBanEventDataDto,
  AmityChannelDidRemoveUsersEventDataDto,
  AmityChannelEventDataDto,
  AmityChannelMembershipEventDataDto,
  AmityChannelUserEventDataDto,
} from '../dto/channel/amity-channel-event-data.dto.js';
import type {
  AmityMessageEventDataDto,
  AmityMessageReactionEventDataDto,
} from '../dto/message/amity-message-event-data.dto.js';

/**
 * The validated `data` of every social.plus webhook event this library knows, keyed by the wire
 * name exactly as social.plus sends it. This map is the single source of the typed API:
 * `@OnAmityEvent(name)` handlers receive `AmityWebhookEvent<name>` whose `data` is the entry here.
 */
export interface AmityEventDataMap {
  /** A channel was created; `userIds` are the users it was created with. */
  'channel.didCreate': AmityChannelMembershipEventDataDto;
  /** Users joined a channel. */
  'channel.didJoin': AmityChannelMembershipEventDataDto;
  /** Users left a channel. */
  'channel.didLeave': AmityChannelMembershipEventDataDto;
  /** Members were added to a channel by `adderId`. */
  'channel.didAddUsers': AmityChannelDidAddUsersEventDataDto;
  /** Members were removed from a channel by `removerId`. */
  'channel.didRemoveUsers': AmityChannelDidRemoveUsersEventDataDto;
  /** Users were banned from a channel by `actorId`. */
  'channel.didBan': AmityChannelDidBanEventDataDto;
  /** A channel was updated by `userId`. */
  'channel.didUpdate': AmityChannelUserEventDataDto;
  /** A channel's metadata was updated by `userId`. */
  'channel.didUpdateMeta': AmityChannelUserEventDataDto;
  /** A channel was closed. */
  'channel.didClose': AmityChannelEventDataDto;
  /** A message was sent. */
  'message.didCreate': AmityMessageEventDataDto;
  /** A message was edited. */
  'message.didUpdate': AmityMessageEventDataDto;
  /** A message was (soft) deleted. */
  'message.didDelete': AmityMessageEventDataDto;
  /** A message was flagged (reported). */
  'message.didFlag': AmityMessageEventDataDto;
  /** A flag was removed from a message. */
  'message.didUnflag': AmityMessageEventDataDto;
  /** All flags of a message were cleared (note the vendor's lowercase `f`). */
  'message.didClearflag': AmityMessageEventDataDto;
  /** A reaction was added to a message. */
  'message.didAddReaction': AmityMessageReactionEventDataDto;
  /** A reaction was removed from a message. */
  'message.didRemoveReaction': AmityMessageReactionEventDataDto;
  /** social.plus detected a blacklisted word and banned the sender (`userId`) in the channel. */
  'moderation.didBan': AmityChannelUserEventDataDto;
}

/** Wire name of a social.plus webhook event this library knows (e.g. `message.didCreate`). */
export type AmityWebhookEventName = keyof AmityEventDataMap;
