// Written by hand from the event catalogue (docs/events.md is generated from the registry and checked
// against it in CI); one entry per social.plus webhook event.
import type { AmityChannelDidAddUsersEventDataDto, AmityChannelDidBanEventDataDto, AmityChannelDidRemoveUsersEventDataDto, AmityChannelEventDataDto, AmityChannelMembershipEventDataDto, AmityChannelUserEventDataDto } from '../dto/channel/amity-channel-event-data.dto.js';
import type { AmityCommentEventDataDto, AmityCommentFlagEventDataDto, AmityCommentReactionEventDataDto } from '../dto/comment/amity-comment-event-data.dto.js';
import type { AmityFileDto } from '../dto/common/amity-file.dto.js';
import type { AmityCommunityEventDataDto, AmityCommunityInvitationEventDataDto, AmityCommunityJoinRequestEventDataDto } from '../dto/community/amity-community-event-data.dto.js';
import type { AmityFollowEventDataDto } from '../dto/follow/amity-follow-event-data.dto.js';
import type { AmityMessageEventDataDto, AmityMessageReactionEventDataDto } from '../dto/message/amity-message-event-data.dto.js';
import type { AmityMessageV5EventDataDto } from '../dto/message/amity-message-v5-event-data.dto.js';
import type { AmityPollEventDataDto } from '../dto/poll/amity-poll-event-data.dto.js';
import type { AmityPostEventDataDto, AmityPostFlagEventDataDto, AmityPostReactionEventDataDto } from '../dto/post/amity-post-event-data.dto.js';
import type { AmityTagDto } from '../dto/tag/amity-tag.dto.js';
import type { AmityUserEventDataDto } from '../dto/user/amity-user-event-data.dto.js';
import type { AmityVideoStreamingEventDataDto } from '../dto/video-streaming/amity-video-streaming-event-data.dto.js';

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
  /** A message was deleted (soft delete: `isDeleted`). */
  'message.didDelete': AmityMessageEventDataDto;
  /** A message was flagged (reported). */
  'message.didFlag': AmityMessageEventDataDto;
  /** A flag was removed from a message. */
  'message.didUnflag': AmityMessageEventDataDto;
  /** All flags of a message were cleared (the vendor spells it with a lowercase `f`). */
  'message.didClearflag': AmityMessageEventDataDto;
  /** A reaction was added to a message. */
  'message.didAddReaction': AmityMessageReactionEventDataDto;
  /** A reaction was removed from a message. */
  'message.didRemoveReaction': AmityMessageReactionEventDataDto;
  /** A message was sent in a sub-channel (v5 message-feed layout). */
  'v5.message.didCreate': AmityMessageV5EventDataDto;
  /** A sub-channel message was edited (v5 layout). */
  'v5.message.didUpdate': AmityMessageV5EventDataDto;
  /** A sub-channel message was deleted (v5 layout). */
  'v5.message.didDelete': AmityMessageV5EventDataDto;
  /** A message contained a blacklisted word and its sender (`userId`) was banned from the channel. */
  'moderation.didBan': AmityChannelUserEventDataDto;
  /** A user was created. */
  'user.didCreate': AmityUserEventDataDto;
  /** A user was updated. */
  'user.didUpdate': AmityUserEventDataDto;
  /** A user was flagged (reported). */
  'user.didFlag': AmityUserEventDataDto;
  /** A flag was removed from a user. */
  'user.didUnflag': AmityUserEventDataDto;
  /** All flags of a user were cleared (capital `F`, unlike `message.didClearflag`). */
  'user.didClearFlag': AmityUserEventDataDto;
  /** A user (`from`) blocked another (`to`). */
  'user.didBlock': AmityFollowEventDataDto;
  /** A user (`from`) unblocked another (`to`). */
  'user.didUnblock': AmityFollowEventDataDto;
  /** An admin reset a user's profile (moderation). */
  'user.profileReset': AmityUserEventDataDto;
  /** `from` followed `to`. */
  'follow.didCreate': AmityFollowEventDataDto;
  /** `from` sent a follow request to `to`. */
  'follow.didRequest': AmityFollowEventDataDto;
  /** `to` accepted the follow request of `from`. */
  'follow.didAcceptRequest': AmityFollowEventDataDto;
  /** `to` declined the follow request of `from` (formerly spelled `follow.didDecineRequest`). */
  'follow.didDeclineRequest': AmityFollowEventDataDto;
  /** `from` cancelled their follow request to `to`. */
  'follow.didCancelRequest': AmityFollowEventDataDto;
  /** `from` unfollowed `to`. */
  'follow.didUnfollow': AmityFollowEventDataDto;
  /** `to` removed `from` from their followers. */
  'follow.didDeleteFollower': AmityFollowEventDataDto;
  /** A community was created. */
  'v3.community.didCreate': AmityCommunityEventDataDto;
  /** A community was updated. */
  'v3.community.didUpdate': AmityCommunityEventDataDto;
  /** A community was deleted. */
  'v3.community.didDelete': AmityCommunityEventDataDto;
  /** Users joined a community. */
  'v3.community.didJoin': AmityCommunityEventDataDto;
  /** Users left a community. */
  'v3.community.didLeave': AmityCommunityEventDataDto;
  /** Members were added to a community (they are in `communityUsers`). */
  'v3.community.didAddUsers': AmityCommunityEventDataDto;
  /** Members were removed from a community. */
  'v3.community.didRemoveUsers': AmityCommunityEventDataDto;
  /** Members were banned from a community. */
  'v3.community.didBan': AmityCommunityEventDataDto;
  /** Members were unbanned from a community. */
  'v3.community.didUnban': AmityCommunityEventDataDto;
  /** Members' roles in a community changed. */
  'v3.community.didRoleChange': AmityCommunityEventDataDto;
  /** A user asked to join a community that requires approval. */
  'v3.communityJoinRequest.didCreate': AmityCommunityJoinRequestEventDataDto;
  /** A join request was accepted. */
  'v3.communityJoinRequest.didAccept': AmityCommunityJoinRequestEventDataDto;
  /** A join request was rejected. */
  'v3.communityJoinRequest.didReject': AmityCommunityJoinRequestEventDataDto;
  /** A user was invited to a community. */
  'v3.communityMemberInvitation.didCreate': AmityCommunityInvitationEventDataDto;
  /** A community invitation was accepted. */
  'v3.communityMemberInvitation.didAccept': AmityCommunityInvitationEventDataDto;
  /** A community invitation was rejected. */
  'v3.communityMemberInvitation.didReject': AmityCommunityInvitationEventDataDto;
  /** A post was created. */
  'v3.post.didCreate': AmityPostEventDataDto;
  /** A post was edited. */
  'v3.post.didUpdate': AmityPostEventDataDto;
  /** A post was deleted. */
  'v3.post.didDelete': AmityPostEventDataDto;
  /** A post in the review queue was approved. */
  'v3.post.didApprove': AmityPostEventDataDto;
  /** A post in the review queue was declined. */
  'v3.post.didDecline': AmityPostEventDataDto;
  /** A post was flagged by `flaggedUserId`. */
  'v3.post.didFlag': AmityPostFlagEventDataDto;
  /** A flag was removed from a post by `flaggedUserId`. */
  'v3.post.didUnflag': AmityPostFlagEventDataDto;
  /** A reaction was added to a post. */
  'v3.post.didAddReaction': AmityPostReactionEventDataDto;
  /** A reaction was removed from a post. */
  'v3.post.didRemoveReaction': AmityPostReactionEventDataDto;
  /** AI moderation produced a result for a post. */
  'v3.post.didModerate': AmityPostEventDataDto;
  /** A comment was created. */
  'v3.comment.didCreate': AmityCommentEventDataDto;
  /** A comment was edited. */
  'v3.comment.didUpdate': AmityCommentEventDataDto;
  /** A comment was deleted. */
  'v3.comment.didDelete': AmityCommentEventDataDto;
  /** A reply was posted to a comment. */
  'v3.comment.didReply': AmityCommentEventDataDto;
  /** A comment was flagged by `flaggedUserId`. */
  'v3.comment.didFlag': AmityCommentFlagEventDataDto;
  /** A flag was removed from a comment by `flaggedUserId`. */
  'v3.comment.didUnflag': AmityCommentFlagEventDataDto;
  /** A reaction was added to a comment. */
  'v3.comment.didAddReaction': AmityCommentReactionEventDataDto;
  /** A reaction was removed from a comment. */
  'v3.comment.didRemoveReaction': AmityCommentReactionEventDataDto;
  /** AI moderation produced a result for a comment. */
  'v3.comment.didModerate': AmityCommentEventDataDto;
  /** A poll was created. */
  'poll.didCreate': AmityPollEventDataDto;
  /** A poll was updated (e.g. closed). */
  'poll.didUpdate': AmityPollEventDataDto;
  /** A vote was cast in a poll. */
  'poll.didVote': AmityPollEventDataDto;
  /** A live stream started. */
  'video-streaming.didStart': AmityVideoStreamingEventDataDto;
  /** A live stream stopped. */
  'video-streaming.didStop': AmityVideoStreamingEventDataDto;
  /** A live stream's recordings are ready. */
  'video-streaming.didRecord': AmityVideoStreamingEventDataDto;
  /** A file was deleted (`data` is the file itself). */
  'file.didDelete': AmityFileDto;
  /** An admin created a user tag (`data` is the tag). */
  'tag.created': AmityTagDto;
  /** An admin updated a user tag. */
  'tag.updated': AmityTagDto;
  /** An admin soft-deleted a user tag. */
  'tag.deleted': AmityTagDto;
  // Deprecated legacy names: the data of each is that of its current name.
  /** Deprecated legacy name of `message.didCreate`. @deprecated handle `message.didCreate` */
  'message.created': AmityEventDataMap['message.didCreate'];
  /** Deprecated legacy name of `channel.didCreate`. @deprecated handle `channel.didCreate` */
  'channel.created': AmityEventDataMap['channel.didCreate'];
  /** Deprecated legacy name of `channel.didJoin`. @deprecated handle `channel.didJoin` */
  'channel.joined': AmityEventDataMap['channel.didJoin'];
  /** Deprecated legacy name of `channel.didAddUsers`. @deprecated handle `channel.didAddUsers` */
  'channel.membersAdded': AmityEventDataMap['channel.didAddUsers'];
  /** Deprecated legacy name of `video-streaming.didRecord` (renamed 2024-03). @deprecated handle `video-streaming.didRecord` */
  'v3.video-streaming.didRecord': AmityEventDataMap['video-streaming.didRecord'];
  /** Deprecated legacy name of `video-streaming.didStart` (renamed 2024-03). @deprecated handle `video-streaming.didStart` */
  'v3.video-streaming.didStart': AmityEventDataMap['video-streaming.didStart'];
  /** Deprecated legacy name of `video-streaming.didStop` (renamed 2024-03). @deprecated handle `video-streaming.didStop` */
  'v3.video-streaming.didStop': AmityEventDataMap['video-streaming.didStop'];
}

/** Wire name of a social.plus webhook event this library knows (e.g. `message.didCreate`). */
export type AmityWebhookEventName = keyof AmityEventDataMap;

/**
 * The deprecated legacy names social.plus may still send (old networks), each with the current
 * name to handle instead. They are accepted and emitted under their own name.
 */
export interface AmityDeprecatedEventNameMap {
  'message.created': 'message.didCreate';
  'channel.created': 'channel.didCreate';
  'channel.joined': 'channel.didJoin';
  'channel.membersAdded': 'channel.didAddUsers';
  'v3.video-streaming.didRecord': 'video-streaming.didRecord';
  'v3.video-streaming.didStart': 'video-streaming.didStart';
  'v3.video-streaming.didStop': 'video-streaming.didStop';
}

/** A deprecated legacy event name (e.g. `message.created`). */
export type AmityDeprecatedEventName = keyof AmityDeprecatedEventNameMap;

/** The name of an event social.plus currently sends (the catalogue without deprecated names). */
export type AmityCurrentEventName = Exclude<AmityWebhookEventName, AmityDeprecatedEventName>;

/**
 * Where the primary entity of each event is in its `data`: the key of an entity list (the
 * subject is its first item) or `'.'` when `data` itself is the entity (follow, file, tag).
 */
export interface AmityEventSubjectKeyMap {
  'channel.didCreate': 'channel';
  'channel.didJoin': 'channel';
  'channel.didLeave': 'channel';
  'channel.didAddUsers': 'channel';
  'channel.didRemoveUsers': 'channel';
  'channel.didBan': 'channel';
  'channel.didUpdate': 'channel';
  'channel.didUpdateMeta': 'channel';
  'channel.didClose': 'channel';
  'message.didCreate': 'messages';
  'message.didUpdate': 'messages';
  'message.didDelete': 'messages';
  'message.didFlag': 'messages';
  'message.didUnflag': 'messages';
  'message.didClearflag': 'messages';
  'message.didAddReaction': 'messages';
  'message.didRemoveReaction': 'messages';
  'v5.message.didCreate': 'messages';
  'v5.message.didUpdate': 'messages';
  'v5.message.didDelete': 'messages';
  'moderation.didBan': 'channel';
  'user.didCreate': 'users';
  'user.didUpdate': 'users';
  'user.didFlag': 'users';
  'user.didUnflag': 'users';
  'user.didClearFlag': 'users';
  'user.didBlock': '.';
  'user.didUnblock': '.';
  'user.profileReset': 'users';
  'follow.didCreate': '.';
  'follow.didRequest': '.';
  'follow.didAcceptRequest': '.';
  'follow.didDeclineRequest': '.';
  'follow.didCancelRequest': '.';
  'follow.didUnfollow': '.';
  'follow.didDeleteFollower': '.';
  'v3.community.didCreate': 'communities';
  'v3.community.didUpdate': 'communities';
  'v3.community.didDelete': 'communities';
  'v3.community.didJoin': 'communities';
  'v3.community.didLeave': 'communities';
  'v3.community.didAddUsers': 'communities';
  'v3.community.didRemoveUsers': 'communities';
  'v3.community.didBan': 'communities';
  'v3.community.didUnban': 'communities';
  'v3.community.didRoleChange': 'communities';
  'v3.communityJoinRequest.didCreate': 'joinRequests';
  'v3.communityJoinRequest.didAccept': 'joinRequests';
  'v3.communityJoinRequest.didReject': 'joinRequests';
  'v3.communityMemberInvitation.didCreate': 'invitations';
  'v3.communityMemberInvitation.didAccept': 'invitations';
  'v3.communityMemberInvitation.didReject': 'invitations';
  'v3.post.didCreate': 'posts';
  'v3.post.didUpdate': 'posts';
  'v3.post.didDelete': 'posts';
  'v3.post.didApprove': 'posts';
  'v3.post.didDecline': 'posts';
  'v3.post.didFlag': 'posts';
  'v3.post.didUnflag': 'posts';
  'v3.post.didAddReaction': 'posts';
  'v3.post.didRemoveReaction': 'posts';
  'v3.post.didModerate': 'posts';
  'v3.comment.didCreate': 'comments';
  'v3.comment.didUpdate': 'comments';
  'v3.comment.didDelete': 'comments';
  'v3.comment.didReply': 'comments';
  'v3.comment.didFlag': 'comments';
  'v3.comment.didUnflag': 'comments';
  'v3.comment.didAddReaction': 'comments';
  'v3.comment.didRemoveReaction': 'comments';
  'v3.comment.didModerate': 'comments';
  'poll.didCreate': 'polls';
  'poll.didUpdate': 'polls';
  'poll.didVote': 'polls';
  'video-streaming.didStart': 'videoStreamings';
  'video-streaming.didStop': 'videoStreamings';
  'video-streaming.didRecord': 'videoStreamings';
  'file.didDelete': '.';
  'tag.created': '.';
  'tag.updated': '.';
  'tag.deleted': '.';
  'message.created': AmityEventSubjectKeyMap['message.didCreate'];
  'channel.created': AmityEventSubjectKeyMap['channel.didCreate'];
  'channel.joined': AmityEventSubjectKeyMap['channel.didJoin'];
  'channel.membersAdded': AmityEventSubjectKeyMap['channel.didAddUsers'];
  'v3.video-streaming.didRecord': AmityEventSubjectKeyMap['video-streaming.didRecord'];
  'v3.video-streaming.didStart': AmityEventSubjectKeyMap['video-streaming.didStart'];
  'v3.video-streaming.didStop': AmityEventSubjectKeyMap['video-streaming.didStop'];
}

type ElementOf<T> = T extends ReadonlyArray<infer E> ? E : never;

/** The primary entity of event `N` (`AmityWebhookEvent<N>['subject']`), e.g. the message of `message.didCreate`. */
export type AmityEventSubject<N extends AmityWebhookEventName> = N extends unknown
  ? AmityEventSubjectKeyMap[N] extends '.'
    ? AmityEventDataMap[N]
    : ElementOf<AmityEventDataMap[N][AmityEventSubjectKeyMap[N] & keyof AmityEventDataMap[N]]>
  : never;
