import type { Type } from '@nestjs/common';
import { AmityChannelDidAddUsersEventDataDto, AmityChannelDidBanEventDataDto, AmityChannelDidRemoveUsersEventDataDto, AmityChannelEventDataDto, AmityChannelMembershipEventDataDto, AmityChannelUserEventDataDto } from '../dto/channel/amity-channel-event-data.dto.js';
import { AmityCommentEventDataDto, AmityCommentFlagEventDataDto, AmityCommentReactionEventDataDto } from '../dto/comment/amity-comment-event-data.dto.js';
import { AmityFileDto } from '../dto/common/amity-file.dto.js';
import { AmityCommunityEventDataDto, AmityCommunityInvitationEventDataDto, AmityCommunityJoinRequestEventDataDto } from '../dto/community/amity-community-event-data.dto.js';
import { AmityFollowEventDataDto } from '../dto/follow/amity-follow-event-data.dto.js';
import { AmityMessageEventDataDto, AmityMessageReactionEventDataDto } from '../dto/message/amity-message-event-data.dto.js';
import { AmityMessageV5EventDataDto } from '../dto/message/amity-message-v5-event-data.dto.js';
import { AmityPollEventDataDto } from '../dto/poll/amity-poll-event-data.dto.js';
import { AmityPostEventDataDto, AmityPostFlagEventDataDto, AmityPostReactionEventDataDto } from '../dto/post/amity-post-event-data.dto.js';
import { AmityTagDto } from '../dto/tag/amity-tag.dto.js';
import { AmityUserEventDataDto } from '../dto/user/amity-user-event-data.dto.js';
import { AmityVideoStreamingEventDataDto } from '../dto/video-streaming/amity-video-streaming-event-data.dto.js';
import type { AmityEventDataMap, AmityEventSubjectKeyMap, AmityWebhookEventName } from './amity-event-data.map.js';

/** How the library validates one event, finds its subject and actor, and describes it. */
export interface AmityEventDefinition<N extends AmityWebhookEventName> {
  /** class-validator DTO of the event's `data`. */
  readonly dto: Type<AmityEventDataMap[N]>;
  /** Event family, e.g. `channel`, `message`, `post`. */
  readonly family: string;
  /** When social.plus sends it. */
  readonly description: string;
  /** Where the primary entity is in `data`. */
  readonly subject: AmityEventSubjectKeyMap[N];
  /** The id of the acting user, when the payload says who acted. */
  readonly actor?: (data: AmityEventDataMap[N]) => string | undefined;
  /** For a deprecated legacy name: the current name to use instead. */
  readonly deprecatedFor?: AmityWebhookEventName;
}

function firstString(item: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = item?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Every known event with its DTO. The mapped type makes a listed event without a DTO (or with a
 * DTO of the wrong shape, or a subject key that is not in its data) a compile error.
 */
export const AMITY_EVENT_REGISTRY: { readonly [N in AmityWebhookEventName]: AmityEventDefinition<N> } = {
  'channel.didCreate': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'A channel was created; `userIds` are the users it was created with.', subject: 'channel', actor: (d) => d.userIds[0] },
  'channel.didJoin': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Users joined a channel.', subject: 'channel', actor: (d) => d.userIds[0] },
  'channel.didLeave': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Users left a channel.', subject: 'channel', actor: (d) => d.userIds[0] },
  'channel.didAddUsers': { dto: AmityChannelDidAddUsersEventDataDto, family: 'channel', description: 'Members were added to a channel by `adderId`.', subject: 'channel', actor: (d) => d.adderId },
  'channel.didRemoveUsers': { dto: AmityChannelDidRemoveUsersEventDataDto, family: 'channel', description: 'Members were removed from a channel by `removerId`.', subject: 'channel', actor: (d) => d.removerId },
  'channel.didBan': { dto: AmityChannelDidBanEventDataDto, family: 'channel', description: 'Users were banned from a channel by `actorId`.', subject: 'channel', actor: (d) => d.actorId },
  'channel.didUpdate': { dto: AmityChannelUserEventDataDto, family: 'channel', description: 'A channel was updated by `userId`.', subject: 'channel', actor: (d) => d.userId },
  'channel.didUpdateMeta': { dto: AmityChannelUserEventDataDto, family: 'channel', description: "A channel's metadata was updated by `userId`.", subject: 'channel', actor: (d) => d.userId },
  'channel.didClose': { dto: AmityChannelEventDataDto, family: 'channel', description: 'A channel was closed.', subject: 'channel' },
  'message.didCreate': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was sent.', subject: 'messages', actor: (d) => d.messages[0]?.userId },
  'message.didUpdate': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was edited.', subject: 'messages', actor: (d) => d.messages[0]?.userId },
  'message.didDelete': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was deleted (soft delete: `isDeleted`).', subject: 'messages', actor: (d) => d.messages[0]?.userId },
  'message.didFlag': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was flagged (reported).', subject: 'messages' },
  'message.didUnflag': { dto: AmityMessageEventDataDto, family: 'message', description: 'A flag was removed from a message.', subject: 'messages' },
  'message.didClearflag': { dto: AmityMessageEventDataDto, family: 'message', description: 'All flags of a message were cleared (the vendor spells it with a lowercase `f`).', subject: 'messages' },
  'message.didAddReaction': { dto: AmityMessageReactionEventDataDto, family: 'message', description: 'A reaction was added to a message.', subject: 'messages', actor: (d) => d.reactor?.userId },
  'message.didRemoveReaction': { dto: AmityMessageReactionEventDataDto, family: 'message', description: 'A reaction was removed from a message.', subject: 'messages', actor: (d) => d.reactor?.userId },
  'v5.message.didCreate': { dto: AmityMessageV5EventDataDto, family: 'message', description: 'A message was sent in a sub-channel (v5 message-feed layout).', subject: 'messages', actor: (d) => firstString(d.messages[0], 'creatorId') },
  'v5.message.didUpdate': { dto: AmityMessageV5EventDataDto, family: 'message', description: 'A sub-channel message was edited (v5 layout).', subject: 'messages', actor: (d) => firstString(d.messages[0], 'creatorId') },
  'v5.message.didDelete': { dto: AmityMessageV5EventDataDto, family: 'message', description: 'A sub-channel message was deleted (v5 layout).', subject: 'messages', actor: (d) => firstString(d.messages[0], 'creatorId') },
  'moderation.didBan': { dto: AmityChannelUserEventDataDto, family: 'moderation', description: 'A message contained a blacklisted word and its sender (`userId`) was banned from the channel.', subject: 'channel', actor: (d) => d.userId },
  'user.didCreate': { dto: AmityUserEventDataDto, family: 'user', description: 'A user was created.', subject: 'users' },
  'user.didUpdate': { dto: AmityUserEventDataDto, family: 'user', description: 'A user was updated.', subject: 'users' },
  'user.didFlag': { dto: AmityUserEventDataDto, family: 'user', description: 'A user was flagged (reported).', subject: 'users' },
  'user.didUnflag': { dto: AmityUserEventDataDto, family: 'user', description: 'A flag was removed from a user.', subject: 'users' },
  'user.didClearFlag': { dto: AmityUserEventDataDto, family: 'user', description: 'All flags of a user were cleared (capital `F`, unlike `message.didClearflag`).', subject: 'users' },
  'user.didBlock': { dto: AmityFollowEventDataDto, family: 'user', description: 'A user (`from`) blocked another (`to`).', subject: '.', actor: (d) => d.from },
  'user.didUnblock': { dto: AmityFollowEventDataDto, family: 'user', description: 'A user (`from`) unblocked another (`to`).', subject: '.', actor: (d) => d.from },
  'user.profileReset': { dto: AmityUserEventDataDto, family: 'user', description: "An admin reset a user's profile (moderation).", subject: 'users' },
  'follow.didCreate': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` followed `to`.', subject: '.', actor: (d) => d.from },
  'follow.didRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` sent a follow request to `to`.', subject: '.', actor: (d) => d.from },
  'follow.didAcceptRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`to` accepted the follow request of `from`.', subject: '.', actor: (d) => d.to },
  'follow.didDeclineRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`to` declined the follow request of `from` (formerly spelled `follow.didDecineRequest`).', subject: '.', actor: (d) => d.to },
  'follow.didCancelRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` cancelled their follow request to `to`.', subject: '.', actor: (d) => d.from },
  'follow.didUnfollow': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` unfollowed `to`.', subject: '.', actor: (d) => d.from },
  'follow.didDeleteFollower': { dto: AmityFollowEventDataDto, family: 'follow', description: '`to` removed `from` from their followers.', subject: '.', actor: (d) => d.to },
  'v3.community.didCreate': { dto: AmityCommunityEventDataDto, family: 'community', description: 'A community was created.', subject: 'communities', actor: (d) => d.communities[0]?.userId },
  'v3.community.didUpdate': { dto: AmityCommunityEventDataDto, family: 'community', description: 'A community was updated.', subject: 'communities' },
  'v3.community.didDelete': { dto: AmityCommunityEventDataDto, family: 'community', description: 'A community was deleted.', subject: 'communities' },
  'v3.community.didJoin': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Users joined a community.', subject: 'communities', actor: (d) => d.communityUsers[0]?.userId },
  'v3.community.didLeave': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Users left a community.', subject: 'communities', actor: (d) => d.communityUsers[0]?.userId },
  'v3.community.didAddUsers': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were added to a community (they are in `communityUsers`).', subject: 'communities' },
  'v3.community.didRemoveUsers': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were removed from a community.', subject: 'communities' },
  'v3.community.didBan': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were banned from a community.', subject: 'communities' },
  'v3.community.didUnban': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were unbanned from a community.', subject: 'communities' },
  'v3.community.didRoleChange': { dto: AmityCommunityEventDataDto, family: 'community', description: "Members' roles in a community changed.", subject: 'communities' },
  'v3.communityJoinRequest.didCreate': { dto: AmityCommunityJoinRequestEventDataDto, family: 'community', description: 'A user asked to join a community that requires approval.', subject: 'joinRequests', actor: (d) => d.joinRequests[0]?.requestorId },
  'v3.communityJoinRequest.didAccept': { dto: AmityCommunityJoinRequestEventDataDto, family: 'community', description: 'A join request was accepted.', subject: 'joinRequests', actor: (d) => d.joinRequests[0]?.responderId },
  'v3.communityJoinRequest.didReject': { dto: AmityCommunityJoinRequestEventDataDto, family: 'community', description: 'A join request was rejected.', subject: 'joinRequests', actor: (d) => d.joinRequests[0]?.responderId },
  'v3.communityMemberInvitation.didCreate': { dto: AmityCommunityInvitationEventDataDto, family: 'community', description: 'A user was invited to a community.', subject: 'invitations', actor: (d) => d.invitations[0]?.inviterUserId },
  'v3.communityMemberInvitation.didAccept': { dto: AmityCommunityInvitationEventDataDto, family: 'community', description: 'A community invitation was accepted.', subject: 'invitations', actor: (d) => d.invitations[0]?.invitedUserId },
  'v3.communityMemberInvitation.didReject': { dto: AmityCommunityInvitationEventDataDto, family: 'community', description: 'A community invitation was rejected.', subject: 'invitations', actor: (d) => d.invitations[0]?.invitedUserId },
  'v3.post.didCreate': { dto: AmityPostEventDataDto, family: 'post', description: 'A post was created.', subject: 'posts', actor: (d) => d.posts[0]?.postedUserId },
  'v3.post.didUpdate': { dto: AmityPostEventDataDto, family: 'post', description: 'A post was edited.', subject: 'posts', actor: (d) => d.posts[0]?.postedUserId },
  'v3.post.didDelete': { dto: AmityPostEventDataDto, family: 'post', description: 'A post was deleted.', subject: 'posts' },
  'v3.post.didApprove': { dto: AmityPostEventDataDto, family: 'post', description: 'A post in the review queue was approved.', subject: 'posts' },
  'v3.post.didDecline': { dto: AmityPostEventDataDto, family: 'post', description: 'A post in the review queue was declined.', subject: 'posts' },
  'v3.post.didFlag': { dto: AmityPostFlagEventDataDto, family: 'post', description: 'A post was flagged by `flaggedUserId`.', subject: 'posts', actor: (d) => d.flaggedUserId },
  'v3.post.didUnflag': { dto: AmityPostFlagEventDataDto, family: 'post', description: 'A flag was removed from a post by `flaggedUserId`.', subject: 'posts', actor: (d) => d.flaggedUserId },
  'v3.post.didAddReaction': { dto: AmityPostReactionEventDataDto, family: 'post', description: 'A reaction was added to a post.', subject: 'posts', actor: (d) => d.reactor?.userId },
  'v3.post.didRemoveReaction': { dto: AmityPostReactionEventDataDto, family: 'post', description: 'A reaction was removed from a post.', subject: 'posts', actor: (d) => d.reactor?.userId },
  'v3.post.didModerate': { dto: AmityPostEventDataDto, family: 'post', description: 'AI moderation produced a result for a post.', subject: 'posts' },
  'v3.comment.didCreate': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A comment was created.', subject: 'comments', actor: (d) => d.comments[0]?.userId },
  'v3.comment.didUpdate': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A comment was edited.', subject: 'comments', actor: (d) => d.comments[0]?.userId },
  'v3.comment.didDelete': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A comment was deleted.', subject: 'comments' },
  'v3.comment.didReply': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A reply was posted to a comment.', subject: 'comments', actor: (d) => d.comments[0]?.userId },
  'v3.comment.didFlag': { dto: AmityCommentFlagEventDataDto, family: 'comment', description: 'A comment was flagged by `flaggedUserId`.', subject: 'comments', actor: (d) => d.flaggedUserId },
  'v3.comment.didUnflag': { dto: AmityCommentFlagEventDataDto, family: 'comment', description: 'A flag was removed from a comment by `flaggedUserId`.', subject: 'comments', actor: (d) => d.flaggedUserId },
  'v3.comment.didAddReaction': { dto: AmityCommentReactionEventDataDto, family: 'comment', description: 'A reaction was added to a comment.', subject: 'comments', actor: (d) => d.reactor?.userId },
  'v3.comment.didRemoveReaction': { dto: AmityCommentReactionEventDataDto, family: 'comment', description: 'A reaction was removed from a comment.', subject: 'comments', actor: (d) => d.reactor?.userId },
  'v3.comment.didModerate': { dto: AmityCommentEventDataDto, family: 'comment', description: 'AI moderation produced a result for a comment.', subject: 'comments' },
  'poll.didCreate': { dto: AmityPollEventDataDto, family: 'poll', description: 'A poll was created.', subject: 'polls', actor: (d) => d.polls[0]?.userId },
  'poll.didUpdate': { dto: AmityPollEventDataDto, family: 'poll', description: 'A poll was updated (e.g. closed).', subject: 'polls' },
  'poll.didVote': { dto: AmityPollEventDataDto, family: 'poll', description: 'A vote was cast in a poll.', subject: 'polls' },
  'video-streaming.didStart': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'A live stream started.', subject: 'videoStreamings', actor: (d) => d.videoStreamings[0]?.userId },
  'video-streaming.didStop': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'A live stream stopped.', subject: 'videoStreamings', actor: (d) => d.videoStreamings[0]?.userId },
  'video-streaming.didRecord': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: "A live stream's recordings are ready.", subject: 'videoStreamings', actor: (d) => d.videoStreamings[0]?.userId },
  'file.didDelete': { dto: AmityFileDto, family: 'file', description: 'A file was deleted (`data` is the file itself).', subject: '.' },
  'tag.created': { dto: AmityTagDto, family: 'tag', description: 'An admin created a user tag (`data` is the tag).', subject: '.' },
  'tag.updated': { dto: AmityTagDto, family: 'tag', description: 'An admin updated a user tag.', subject: '.' },
  'tag.deleted': { dto: AmityTagDto, family: 'tag', description: 'An admin soft-deleted a user tag.', subject: '.' },
  'message.created': { dto: AmityMessageEventDataDto, family: 'message', description: 'Deprecated legacy name of `message.didCreate`.', subject: 'messages', actor: (d) => d.messages[0]?.userId, deprecatedFor: 'message.didCreate' },
  'channel.created': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Deprecated legacy name of `channel.didCreate`.', subject: 'channel', actor: (d) => d.userIds[0], deprecatedFor: 'channel.didCreate' },
  'channel.joined': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Deprecated legacy name of `channel.didJoin`.', subject: 'channel', actor: (d) => d.userIds[0], deprecatedFor: 'channel.didJoin' },
  'channel.membersAdded': { dto: AmityChannelDidAddUsersEventDataDto, family: 'channel', description: 'Deprecated legacy name of `channel.didAddUsers`.', subject: 'channel', actor: (d) => d.adderId, deprecatedFor: 'channel.didAddUsers' },
  'v3.video-streaming.didRecord': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'Deprecated legacy name of `video-streaming.didRecord`.', subject: 'videoStreamings', actor: (d) => d.videoStreamings[0]?.userId, deprecatedFor: 'video-streaming.didRecord' },
  'v3.video-streaming.didStart': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'Deprecated legacy name of `video-streaming.didStart`.', subject: 'videoStreamings', actor: (d) => d.videoStreamings[0]?.userId, deprecatedFor: 'video-streaming.didStart' },
  'v3.video-streaming.didStop': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'Deprecated legacy name of `video-streaming.didStop`.', subject: 'videoStreamings', actor: (d) => d.videoStreamings[0]?.userId, deprecatedFor: 'video-streaming.didStop' },
};

/** Wire names of every event the library knows, as social.plus sends them (current and deprecated). */
export const AMITY_WEBHOOK_EVENT_NAMES: readonly AmityWebhookEventName[] = Object.freeze(
  Object.keys(AMITY_EVENT_REGISTRY) as AmityWebhookEventName[],
);

/** Deprecated legacy event names and the current name to use instead. */
export const AMITY_DEPRECATED_EVENT_NAMES: Readonly<Partial<Record<AmityWebhookEventName, AmityWebhookEventName>>> = Object.freeze(
  Object.fromEntries(AMITY_WEBHOOK_EVENT_NAMES.flatMap((name) => {
    const current = AMITY_EVENT_REGISTRY[name].deprecatedFor;
    return current ? [[name, current]] : [];
  })),
);

/** Names of the events social.plus currently sends (the catalogue without deprecated names). */
export const AMITY_CURRENT_EVENT_NAMES: readonly AmityWebhookEventName[] = Object.freeze(
  AMITY_WEBHOOK_EVENT_NAMES.filter((name) => AMITY_EVENT_REGISTRY[name].deprecatedFor === undefined),
);

const known = new Set<string>(AMITY_WEBHOOK_EVENT_NAMES);

/** Whether `name` is the wire name of an event this library knows. */
export function isAmityWebhookEventName(name: string): name is AmityWebhookEventName {
  return known.has(name);
}
