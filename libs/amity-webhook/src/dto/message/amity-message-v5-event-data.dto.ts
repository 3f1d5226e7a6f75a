// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';

/**
 * `data` of `v5.message.didCreate`, `didUpdate` and `didDelete` (sub-channel messages). The
 * vendor's spec swaps the item schemas of `messages` and `messageFeeds`, so both lists are taken
 * as arrays of objects without further checks: a message carries `messageId`, `messageFeedId`,
 * `creatorId`, `segment`; a feed carries `messageFeedId`, `channelId`, `name`, whichever list
 * they arrive in.
 */
export class AmityMessageV5EventDataDto {
  @IsOptional() @IsArray() @IsObject({ each: true }) messages: Record<string, unknown>[] = [];
  @IsOptional() @IsArray() @IsObject({ each: true }) messageFeeds: Record<string, unknown>[] = [];
  /** `{ referenceId, referenceType, reactors }` per reacted message. */
  @IsOptional() @IsArray() @IsObject({ each: true }) reactions: Record<string, unknown>[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
}
