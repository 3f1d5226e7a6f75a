// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityUserDto } from '../common/amity-user.dto.js';
import { toArray } from '../common/amity-dto.transforms.js';
import { AmityChannelDto } from './amity-channel.dto.js';

/**
 * `data` of `channel.didClose`. `channel` is always an array here, whether social.plus sent an
 * object (as in its sample) or an array (as in its spec).
 */
export class AmityChannelEventDataDto {
  @Transform(toArray) @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityChannelDto)
  channel!: AmityChannelDto[];
  /** Users referenced by the event. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
}

/** `data` of `channel.didCreate`, `channel.didJoin` and `channel.didLeave`. */
export class AmityChannelMembershipEventDataDto extends AmityChannelEventDataDto {
  /** The users who were added, joined or left. */
  @IsOptional() @IsArray() @IsString({ each: true }) userIds: string[] = [];
}

/** `data` of `channel.didAddUsers`. */
export class AmityChannelDidAddUsersEventDataDto extends AmityChannelMembershipEventDataDto {
  /** Who added the users. */
  @IsOptional() @IsString() adderId?: string;
}

/** `data` of `channel.didRemoveUsers`. */
export class AmityChannelDidRemoveUsersEventDataDto extends AmityChannelMembershipEventDataDto {
  /** Who removed the users. */
  @IsOptional() @IsString() removerId?: string;
}

/** `data` of `channel.didBan`. */
export class AmityChannelDidBanEventDataDto extends AmityChannelMembershipEventDataDto {
  /** Who banned the users. */
  @IsOptional() @IsString() actorId?: string;
}

/**
 * `data` of `channel.didUpdate`, `channel.didUpdateMeta` (where `userId` is the actor) and
 * `moderation.didBan` (where `userId` is the banned sender).
 */
export class AmityChannelUserEventDataDto extends AmityChannelEventDataDto {
  @IsOptional() @IsString() userId?: string;
}
