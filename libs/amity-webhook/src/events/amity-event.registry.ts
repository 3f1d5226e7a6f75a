import type { Type } from '@nestjs/common';
import {
  AmityChannelDidAddUsersEventDataDto,
  AmityChannelDidBanEventDataDto,
  AmityChannelDidRemoveUsersEventDataDto,
  AmityChannelEventDataDto,
  AmityChannelMembershipEventDataDto,
  AmityChannelUserEventDataDto,
} from '../dto/channel/amity-channel-event-data.dto.js';
import { AmityMessageEventDataDto, AmityMessageReactionEventDataDto } from '../dto/message/amity-message-event-data.dto.js';
import type { AmityEventDataMap, AmityWebhookEventName } from './amity-event-data.map.js';

/** How the library validates one event and describes it in the generated reference. */
export interface AmityEventDefinition<D> {
  /** class-validator DTO of the event's `data`. */
  readonly dto: Type<D>;
  /** Event family, e.g. `channel`, `message`. */
  readonly family: string;
  /** When social.plus sends it. */
  readonly description: string;
}

/**
 * Every known event with its DTO. The mapped type makes a listed event without a DTO (or with a
 * DTO of the wrong shape) a compile error.
 */
export const AMITY_EVENT_REGISTRY: { readonly [N in AmityWebhookEventName]: AmityEventDefinition<AmityEventDataMap[N]> } = {
  'channel.didCreate': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'A channel was created.' },
  'channel.didJoin': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Users joined a channel.' },
  'channel.didLeave': { dto: AmityChannelMembershipEventDataDto, family: 'channel', description: 'Users left a channel.' },
  'channel.didAddUsers': { dto: AmityChannelDidAddUsersEventDataDto, family: 'channel', description: 'Members were added to a channel.' },
  'channel.didRemoveUsers': { dto: AmityChannelDidRemoveUsersEventDataDto, family: 'channel', description: 'Members were removed from a channel.' },
  'channel.didBan': { dto: AmityChannelDidBanEventDataDto, family: 'channel', description: 'Users were banned from a channel.' },
  'channel.didUpdate': { dto: AmityChannelUserEventDataDto, family: 'channel', description: 'A channel was updated.' },
  'channel.didUpdateMeta': { dto: AmityChannelUserEventDataDto, family: 'channel', description: "A channel's metadata was updated." },
  'channel.didClose': { dto: AmityChannelEventDataDto, family: 'channel', description: 'A channel was closed.' },
  'message.didCreate': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was sent.' },
  'message.didUpdate': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was edited.' },
  'message.didDelete': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was deleted.' },
  'message.didFlag': { dto: AmityMessageEventDataDto, family: 'message', description: 'A message was flagged.' },
  'message.didUnflag': { dto: AmityMessageEventDataDto, family: 'message', description: 'A flag was removed from a message.' },
  'message.didClearflag': { dto: AmityMessageEventDataDto, family: 'message', description: 'All flags of a message were cleared.' },
  'message.didAddReaction': { dto: AmityMessageReactionEventDataDto, family: 'message', description: 'A reaction was added to a message.' },
  'message.didRemoveReaction': { dto: AmityMessageReactionEventDataDto, family: 'message', description: 'A reaction was removed from a message.' },
  'moderation.didBan': {
    dto: AmityChannelUserEventDataDto,
    family: 'moderation',
    description: 'A message contained a blacklisted word and its sender was banned.',
  },
};

/** Wire names of every event the library knows, as social.plus sends them. */
export const AMITY_WEBHOOK_EVENT_NAMES: readonly AmityWebhookEventName[] = Object.freeze(
  Object.keys(AMITY_EVENT_REGISTRY) as AmityWebhookEventName[],
);

const known = new Set<string>(AMITY_WEBHOOK_EVENT_NAMES);

/** Whether `name` is the wire name of an event this library knows. */
export function isAmityWebhookEventName(name: string): name is AmityWebhookEventName {
  return known.has(name);
}
