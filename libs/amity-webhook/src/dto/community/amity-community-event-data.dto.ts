// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';
import { AmityCommunityDto, AmityCommunityInvitationDto, AmityCommunityUserDto, AmityJoinRequestDto } from './amity-community.dto.js';

/**
 * `data` of the `v3.community.*` events. The members an event concerns (added, removed, banned,
 * role changed) are in `communityUsers`.
 */
export class AmityCommunityEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityCommunityDto)
  communities!: AmityCommunityDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityCommunityUserDto)
  communityUsers: AmityCommunityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
  /** Community categories (`{ categoryId, name, ... }`). */
  @IsOptional() @IsArray() @IsObject({ each: true }) categories: Record<string, unknown>[] = [];
  /** Community feeds (`{ feedId, feedType, ... }`). */
  @IsOptional() @IsArray() @IsObject({ each: true }) feeds: Record<string, unknown>[] = [];
}

/** `data` of the `v3.communityJoinRequest.*` events. */
export class AmityCommunityJoinRequestEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityJoinRequestDto)
  joinRequests!: AmityJoinRequestDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
  /** Roles referenced by the request. */
  @IsOptional() @IsArray() @IsObject({ each: true }) roles: Record<string, unknown>[] = [];
}

/** `data` of the `v3.communityMemberInvitation.*` events. */
export class AmityCommunityInvitationEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityCommunityInvitationDto)
  invitations!: AmityCommunityInvitationDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
}
