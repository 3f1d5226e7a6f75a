// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityCommunityUserDto } from '../community/amity-community.dto.js';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityReactorDto } from '../common/amity-reactor.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';
import { AmityCommentDto } from './amity-comment.dto.js';

/** `data` of `v3.comment.didCreate`, `didUpdate`, `didDelete`, `didReply` and `didModerate`. */
export class AmityCommentEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityCommentDto)
  comments!: AmityCommentDto[];
  /** Replies included with the comment. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityCommentDto)
  commentChildren: AmityCommentDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityCommunityUserDto)
  communityUsers: AmityCommunityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
}

/** `data` of `v3.comment.didFlag` and `didUnflag`. */
export class AmityCommentFlagEventDataDto extends AmityCommentEventDataDto {
  /** Who flagged or unflagged. */
  @IsOptional() @IsString() flaggedUserId?: string;
}

/** `data` of `v3.comment.didAddReaction` and `didRemoveReaction`. */
export class AmityCommentReactionEventDataDto extends AmityCommentEventDataDto {
  @IsOptional() @ValidateNested() @Type(() => AmityReactorDto)
  reactor?: AmityReactorDto;
}
