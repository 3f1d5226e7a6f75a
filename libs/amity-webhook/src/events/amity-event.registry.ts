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
import type {
  AmityCurrentEventName,
  AmityDeprecatedEventName,
  AmityDeprecatedEventNameMap,
  AmityEventDataMap,
  AmityEventSubjectKeyMap,
  AmityWebhookEventName,
} from './amity-event-data.map.js';

type ItemOf<T> = T extends ReadonlyArray<infer E> ? E : T;

/** Keys of `T` holding a string (or a list of strings, read at index 0); any key of an open record. */
type AmityStringKey<T> = string extends keyof T
  ? string
  : { [K in keyof T]-?: ItemOf<NonNullable<T[K]>> extends string ? K : never }[keyof T] & string;

/** Keys of `T` holding an entity (or a list of entities, read at index 0). */
type AmityEntityKey<T> = { [K in keyof T]-?: ItemOf<NonNullable<T[K]>> extends object ? K : never }[keyof T] & string;

/**
 * Where the acting user's id is in an event's `data`, checked against its DTO: `['adderId']`
 * (a string field, or the first of a string list such as `['userIds']`) or `['messages', 'userId']`
 * (a field of an entity, or of the first entity of a list).
 */
export type AmityActorPath<D> =
  | readonly [AmityStringKey<D>]
  | { [K in AmityEntityKey<D>]: readonly [K, AmityStringKey<ItemOf<NonNullable<D[K]>>>] }[AmityEntityKey<D>];

/** How the library validates one event, finds its subject and actor, and describes it. */
export interface AmityEventDefinition<N extends AmityWebhookEventName> {
  /** class-validator DTO of the event's `data`. */
  readonly dto: Type<AmityEventDataMap[N]>;
  /** Event family, e.g. `channel`, `message`, `post`. */
  readonly family: string;
  /** When social.plus sends it. */
  readonly description: string;
  /** Where the primary entity is in `data`: a key (its first item when a list), or `'.'` for `data` itself. */
  readonly subject: AmityEventSubjectKeyMap[N];
  /** Where the id of the acting user is in `data`, when the payload says who acted. */
  readonly actor?: AmityActorPath<AmityEventDataMap[N]>;
  /** For a deprecated legacy name: the current name to use instead. */
  readonly deprecatedFor?: AmityCurrentEventName;
}

/**
 * The registry's type: a definition for every name of `AmityEventDataMap` (a listed event without a
 * DTO, or with a DTO, subject or actor that does not fit its data, does not compile), with
 * `deprecatedFor` present exactly on the deprecated names.
 */
export type AmityEventRegistry = {
  readonly [N in AmityWebhookEventName]: AmityEventDefinition<N> &
    (N extends AmityDeprecatedEventName ? { readonly deprecatedFor: AmityDeprecatedEventNameMap[N] } : { readonly deprecatedFor?: undefined });
};

const CURRENT_EVENTS: Pick<AmityEventRegistry, AmityCurrentEventName> = {
  'channel.didCreate': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'A channel was created; `userIds` are the users it was created with.', subject: 'channel', actor: ['userIds'] },
  'channel.didJoin': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Users joined a channel.', subject: 'channel', actor: ['userIds'] },
  'channel.didLeave': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Users left a channel.', subject: 'channel', actor: ['userIds'] },
  'channel.didAddUsers': { dto: AmityChannelDidAddUsersEventDataDto, family: 'channel', description: 'Members were added to a channel by `adderId`.', subject: 'channel', actor: ['adderId'] },
  'channel.didRemoveUsers': { dto: AmityChannelDidRemoveUsersEventDataDto, family: 'channel', description: 'Members were removed from a channel by `removerId`.', subject: 'channel', actor: ['removerId'] },
  'channel.didBan': { dto: AmityChannelDidBanEventDataDto, family: 'channel', description: 'Users were banned from a channel by `actorId`.', subject: 'channel', actor: ['actorId'] },
  'channel.didUpdate': { dto: AmityChannelUserEventDataDto, family: 'channel', description: 'A channel was updated by `userId`.', subject: 'channel', actor: ['userId'] },
  'channel.didUpdateMeta': { dto: AmityChannelUserEventDataDto, family: 'channel', description: "A channel's metadata was updated by `userId`.", subject: 'channel', actor: ['userId'] },
  'channel.didClose': { dto: AmityChannelEventDataDto, family: 'channel', description: 'A channel was closed.', subject: 'channel' },
  'message.didCreate': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was sent.', subject: 'messages', actor: ['messages', 'userId'] },
  'message.didUpdate': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was edited.', subject: 'messages', actor: ['messages', 'userId'] },
  'message.didDelete': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was deleted (soft delete: `isDeleted`).', subject: 'messages', actor: ['messages', 'userId'] },
  'message.didFlag': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was flagged (reported).', subject: 'messages' },
  'message.didUnflag': { dto: AmityMessageEventDataDto, family: 'message', description: 'A flag was removed from a message.', subject: 'messages' },
  'message.didClearflag': { dto: AmityMessageEventDataDto, family: 'message', description: 'All flags of a message were cleared (the vendor spells it with a lowercase `f`).', subject: 'messages' },
  'message.didAddReaction': { dto: AmityMessageReactionEventDataDto, family: 'message', description: 'A reaction was added to a message.', subject: 'messages', actor: ['reactor', 'userId'] },
  'message.didRemoveReaction': { dto: AmityMessageReactionEventDataDto, family: 'message', description: 'A reaction was removed from a message.', subject: 'messages', actor: ['reactor', 'userId'] },
  'v5.message.didCreate': { dto: AmityMessageV5EventDataDto, family: 'message', description: 'A message was sent in a sub-channel (v5 message-feed layout).', subject: 'messages', actor: ['messages', 'creatorId'] },
  'v5.message.didUpdate': { dto: AmityMessageV5EventDataDto, family: 'message', description: 'A sub-channel message was edited (v5 layout).', subject: 'messages', actor: ['messages', 'creatorId'] },
  'v5.message.didDelete': { dto: AmityMessageV5EventDataDto, family: 'message', description: 'A sub-channel message was deleted (v5 layout).', subject: 'messages', actor: ['messages', 'creatorId'] },
  'moderation.didBan': { dto: AmityChannelUserEventDataDto, family: 'moderation', description: 'A message contained a blacklisted word and its sender (`userId`) was banned from the channel.', subject: 'channel', actor: ['userId'] },
  'user.didCreate': { dto: AmityUserEventDataDto, family: 'user', description: 'A user was created.', subject: 'users' },
  'user.didUpdate': { dto: AmityUserEventDataDto, family: 'user', description: 'A user was updated.', subject: 'users' },
  'user.didFlag': { dto: AmityUserEventDataDto, family: 'user', description: 'A user was flagged (reported).', subject: 'users' },
  'user.didUnflag': { dto: AmityUserEventDataDto, family: 'user', description: 'A flag was removed from a user.', subject: 'users' },
  'user.didClearFlag': { dto: AmityUserEventDataDto, family: 'user', description: 'All flags of a user were cleared (capital `F`, unlike `message.didClearflag`).', subject: 'users' },
  'user.didBlock': { dto: AmityFollowEventDataDto, family: 'user', description: 'A user (`from`) blocked another (`to`).', subject: '.', actor: ['from'] },
  'user.didUnblock': { dto: AmityFollowEventDataDto, family: 'user', description: 'A user (`from`) unblocked another (`to`).', subject: '.', actor: ['from'] },
  'user.profileReset': { dto: AmityUserEventDataDto, family: 'user', description: "An admin reset a user's profile (moderation).", subject: 'users' },
  'follow.didCreate': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` followed `to`.', subject: '.', actor: ['from'] },
  'follow.didRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` sent a follow request to `to`.', subject: '.', actor: ['from'] },
  'follow.didAcceptRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`to` accepted the follow request of `from`.', subject: '.', actor: ['to'] },
  'follow.didDeclineRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`to` declined the follow request of `from` (formerly spelled `follow.didDecineRequest`).', subject: '.', actor: ['to'] },
  'follow.didCancelRequest': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` cancelled their follow request to `to`.', subject: '.', actor: ['from'] },
  'follow.didUnfollow': { dto: AmityFollowEventDataDto, family: 'follow', description: '`from` unfollowed `to`.', subject: '.', actor: ['from'] },
  'follow.didDeleteFollower': { dto: AmityFollowEventDataDto, family: 'follow', description: '`to` removed `from` from their followers.', subject: '.', actor: ['to'] },
  'v3.community.didCreate': { dto: AmityCommunityEventDataDto, family: 'community', description: 'A community was created.', subject: 'communities', actor: ['communities', 'userId'] },
  'v3.community.didUpdate': { dto: AmityCommunityEventDataDto, family: 'community', description: 'A community was updated.', subject: 'communities' },
  'v3.community.didDelete': { dto: AmityCommunityEventDataDto, family: 'community', description: 'A community was deleted.', subject: 'communities' },
  'v3.community.didJoin': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Users joined a community.', subject: 'communities', actor: ['communityUsers', 'userId'] },
  'v3.community.didLeave': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Users left a community.', subject: 'communities', actor: ['communityUsers', 'userId'] },
  'v3.community.didAddUsers': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were added to a community (they are in `communityUsers`).', subject: 'communities' },
  'v3.community.didRemoveUsers': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were removed from a community.', subject: 'communities' },
  'v3.community.didBan': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were banned from a community.', subject: 'communities' },
  'v3.community.didUnban': { dto: AmityCommunityEventDataDto, family: 'community', description: 'Members were unbanned from a community.', subject: 'communities' },
  'v3.community.didRoleChange': { dto: AmityCommunityEventDataDto, family: 'community', description: "Members' roles in a community changed.", subject: 'communities' },
  'v3.communityJoinRequest.didCreate': { dto: AmityCommunityJoinRequestEventDataDto, family: 'community', description: 'A user asked to join a community that requires approval.', subject: 'joinRequests', actor: ['joinRequests', 'requestorId'] },
  'v3.communityJoinRequest.didAccept': { dto: AmityCommunityJoinRequestEventDataDto, family: 'community', description: 'A join request was accepted.', subject: 'joinRequests', actor: ['joinRequests', 'responderId'] },
  'v3.communityJoinRequest.didReject': { dto: AmityCommunityJoinRequestEventDataDto, family: 'community', description: 'A join request was rejected.', subject: 'joinRequests', actor: ['joinRequests', 'responderId'] },
  'v3.communityMemberInvitation.didCreate': { dto: AmityCommunityInvitationEventDataDto, family: 'community', description: 'A user was invited to a community.', subject: 'invitations', actor: ['invitations', 'inviterUserId'] },
  'v3.communityMemberInvitation.didAccept': { dto: AmityCommunityInvitationEventDataDto, family: 'community', description: 'A community invitation was accepted.', subject: 'invitations', actor: ['invitations', 'invitedUserId'] },
  'v3.communityMemberInvitation.didReject': { dto: AmityCommunityInvitationEventDataDto, family: 'community', description: 'A community invitation was rejected.', subject: 'invitations', actor: ['invitations', 'invitedUserId'] },
  'v3.post.didCreate': { dto: AmityPostEventDataDto, family: 'post', description: 'A post was created.', subject: 'posts', actor: ['posts', 'postedUserId'] },
  'v3.post.didUpdate': { dto: AmityPostEventDataDto, family: 'post', description: 'A post was edited.', subject: 'posts', actor: ['posts', 'postedUserId'] },
  'v3.post.didDelete': { dto: AmityPostEventDataDto, family: 'post', description: 'A post was deleted.', subject: 'posts' },
  'v3.post.didApprove': { dto: AmityPostEventDataDto, family: 'post', description: 'A post in the review queue was approved.', subject: 'posts' },
  'v3.post.didDecline': { dto: AmityPostEventDataDto, family: 'post', description: 'A post in the review queue was declined.', subject: 'posts' },
  'v3.post.didFlag': { dto: AmityPostFlagEventDataDto, family: 'post', description: 'A post was flagged by `flaggedUserId`.', subject: 'posts', actor: ['flaggedUserId'] },
  'v3.post.didUnflag': { dto: AmityPostFlagEventDataDto, family: 'post', description: 'A flag was removed from a post by `flaggedUserId`.', subject: 'posts', actor: ['flaggedUserId'] },
  'v3.post.didAddReaction': { dto: AmityPostReactionEventDataDto, family: 'post', description: 'A reaction was added to a post.', subject: 'posts', actor: ['reactor', 'userId'] },
  'v3.post.didRemoveReaction': { dto: AmityPostReactionEventDataDto, family: 'post', description: 'A reaction was removed from a post.', subject: 'posts', actor: ['reactor', 'userId'] },
  'v3.post.didModerate': { dto: AmityPostEventDataDto, family: 'post', description: 'AI moderation produced a result for a post.', subject: 'posts' },
  'v3.comment.didCreate': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A comment was created.', subject: 'comments', actor: ['comments', 'userId'] },
  'v3.comment.didUpdate': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A comment was edited.', subject: 'comments', actor: ['comments', 'userId'] },
  'v3.comment.didDelete': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A comment was deleted.', subject: 'comments' },
  'v3.comment.didReply': { dto: AmityCommentEventDataDto, family: 'comment', description: 'A reply was posted to a comment.', subject: 'comments', actor: ['comments', 'userId'] },
  'v3.comment.didFlag': { dto: AmityCommentFlagEventDataDto, family: 'comment', description: 'A comment was flagged by `flaggedUserId`.', subject: 'comments', actor: ['flaggedUserId'] },
  'v3.comment.didUnflag': { dto: AmityCommentFlagEventDataDto, family: 'comment', description: 'A flag was removed from a comment by `flaggedUserId`.', subject: 'comments', actor: ['flaggedUserId'] },
  'v3.comment.didAddReaction': { dto: AmityCommentReactionEventDataDto, family: 'comment', description: 'A reaction was added to a comment.', subject: 'comments', actor: ['reactor', 'userId'] },
  'v3.comment.didRemoveReaction': { dto: AmityCommentReactionEventDataDto, family: 'comment', description: 'A reaction was removed from a comment.', subject: 'comments', actor: ['reactor', 'userId'] },
  'v3.comment.didModerate': { dto: AmityCommentEventDataDto, family: 'comment', description: 'AI moderation produced a result for a comment.', subject: 'comments' },
  'poll.didCreate': { dto: AmityPollEventDataDto, family: 'poll', description: 'A poll was created.', subject: 'polls', actor: ['polls', 'userId'] },
  'poll.didUpdate': { dto: AmityPollEventDataDto, family: 'poll', description: 'A poll was updated (e.g. closed).', subject: 'polls' },
  'poll.didVote': { dto: AmityPollEventDataDto, family: 'poll', description: 'A vote was cast in a poll.', subject: 'polls' },
  'video-streaming.didStart': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'A live stream started.', subject: 'videoStreamings', actor: ['videoStreamings', 'userId'] },
  'video-streaming.didStop': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: 'A live stream stopped.', subject: 'videoStreamings', actor: ['videoStreamings', 'userId'] },
  'video-streaming.didRecord': { dto: AmityVideoStreamingEventDataDto, family: 'video-streaming', description: "A live stream's recordings are ready.", subject: 'videoStreamings', actor: ['videoStreamings', 'userId'] },
  'file.didDelete': { dto: AmityFileDto, family: 'file', description: 'A file was deleted (`data` is the file itself).', subject: '.' },
  'tag.created': { dto: AmityTagDto, family: 'tag', description: 'An admin created a user tag (`data` is the tag).', subject: '.' },
  'tag.updated': { dto: AmityTagDto, family: 'tag', description: 'An admin updated a user tag.', subject: '.' },
  'tag.deleted': { dto: AmityTagDto, family: 'tag', description: 'An admin soft-deleted a user tag.', subject: '.' },
};

/** A deprecated name reads like its current one: same DTO, subject and actor. */
function deprecatedAlias<C extends AmityCurrentEventName>(current: C): AmityEventDefinition<C> & { readonly deprecatedFor: C } {
  return { ...CURRENT_EVENTS[current], description: `Deprecated legacy name of \`${current}\`.`, deprecatedFor: current };
}

/** Every known event (current names first, then the deprecated ones) with its DTO, subject and actor. */
export const AMITY_EVENT_REGISTRY: AmityEventRegistry = {
  ...CURRENT_EVENTS,
  'message.created': deprecatedAlias('message.didCreate'),
  'channel.created': deprecatedAlias('channel.didCreate'),
  'channel.joined': deprecatedAlias('channel.didJoin'),
  'channel.membersAdded': deprecatedAlias('channel.didAddUsers'),
  'v3.video-streaming.didRecord': deprecatedAlias('video-streaming.didRecord'),
  'v3.video-streaming.didStart': deprecatedAlias('video-streaming.didStart'),
  'v3.video-streaming.didStop': deprecatedAlias('video-streaming.didStop'),
};

/** Wire names of every event the library knows, as social.plus sends them (current and deprecated). */
export const AMITY_WEBHOOK_EVENT_NAMES: readonly AmityWebhookEventName[] = Object.freeze(
  Object.keys(AMITY_EVENT_REGISTRY) as AmityWebhookEventName[],
);

/** Names of the events social.plus currently sends (the catalogue without deprecated names). */
export const AMITY_CURRENT_EVENT_NAMES: readonly AmityCurrentEventName[] = Object.freeze(Object.keys(CURRENT_EVENTS) as AmityCurrentEventName[]);

/** Deprecated legacy event names, each with the current name to handle instead (`'message.created'` → `'message.didCreate'`). */
export const AMITY_DEPRECATED_EVENT_NAMES: Readonly<AmityDeprecatedEventNameMap> = Object.freeze({
  'message.created': 'message.didCreate',
  'channel.created': 'channel.didCreate',
  'channel.joined': 'channel.didJoin',
  'channel.membersAdded': 'channel.didAddUsers',
  'v3.video-streaming.didRecord': 'video-streaming.didRecord',
  'v3.video-streaming.didStart': 'video-streaming.didStart',
  'v3.video-streaming.didStop': 'video-streaming.didStop',
});

const known = new Set<string>(AMITY_WEBHOOK_EVENT_NAMES);

/** Whether `name` is the wire name of an event this library knows (current or deprecated). */
export function isAmityWebhookEventName(name: string): name is AmityWebhookEventName {
  return known.has(name);
}

/** Whether `name` is a deprecated legacy event name. */
export function isAmityDeprecatedEventName(name: string): name is AmityDeprecatedEventName {
  return Object.hasOwn(AMITY_DEPRECATED_EVENT_NAMES, name);
}
