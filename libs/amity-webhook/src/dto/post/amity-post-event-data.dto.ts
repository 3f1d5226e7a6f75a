// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityCommentDto } from '../comment/amity-comment.dto.js';
import { AmityCommunityDto, AmityCommunityUserDto } from '../community/amity-community.dto.js';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityReactorDto } from '../common/amity-reactor.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';
import { AmityPostDto } from './amity-post.dto.js';

/**
 * `data` of `v3.post.didCreate`, `didUpdate`, `didDelete`, `didApprove`, `didDecline` and
 * `didModerate`.
 */
export class AmityPostEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityPostDto)
  posts!: AmityPostDto[];
  /** The image, video and file posts under the parent post. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityPostDto)
  postChildren: AmityPostDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityCommentDto)
  comments: AmityCommentDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityCommunityDto)
  communities: AmityCommunityDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityCommunityUserDto)
  communityUsers: AmityCommunityUserDto[] = [];
  @IsOptional() @IsArray() @IsObject({ each: true }) categories: Record<string, unknown>[] = [];
  @IsOptional() @IsArray() @IsObject({ each: true }) feeds: Record<string, unknown>[] = [];
  /** Live streams of `liveStream` posts (`{ streamId, status, ... }`). */
  @IsOptional() @IsArray() @IsObject({ each: true }) videoStreamings: Record<string, unknown>[] = [];
}

/** `data` of `v3.post.didFlag` and `didUnflag`. */
export class AmityPostFlagEventDataDto extends AmityPostEventDataDto {
  /** Who flagged or unflagged. */
  @IsOptional() @IsString() flaggedUserId?: string;
}

/** `data` of `v3.post.didAddReaction` and `didRemoveReaction`. */
export class AmityPostReactionEventDataDto extends AmityPostEventDataDto {
  @IsOptional() @ValidateNested() @Type(() => AmityReactorDto)
  reactor?: AmityReactorDto;
}
