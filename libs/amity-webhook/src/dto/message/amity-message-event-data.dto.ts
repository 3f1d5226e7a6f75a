// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityReactorDto } from '../common/amity-reactor.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';
import { AmityMessageDto } from './amity-message.dto.js';

/**
 * `data` of `message.didCreate`, `didUpdate`, `didDelete`, `didFlag`, `didUnflag` and
 * `didClearflag`: the message(s) and the users they reference.
 */
export class AmityMessageEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityMessageDto)
  messages!: AmityMessageDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
}

/** `data` of `message.didAddReaction` and `message.didRemoveReaction`. */
export class AmityMessageReactionEventDataDto extends AmityMessageEventDataDto {
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
  /** Who reacted, and with which reaction. */
  @IsOptional() @ValidateNested() @Type(() => AmityReactorDto)
  reactor?: AmityReactorDto;
}
