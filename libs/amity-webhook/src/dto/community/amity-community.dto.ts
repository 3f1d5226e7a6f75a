// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { IsArray, IsBoolean, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString } from 'class-validator';

/** A community as embedded in `v3.community.*` and `v3.post.*` payloads. Unknown fields are kept. */
export class AmityCommunityDto {
  @IsString() @IsNotEmpty() communityId!: string;
  /** The chat channel the community owns. */
  @IsOptional() @IsString() channelId?: string;
  /** The creator. */
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() displayName?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() avatarFileId?: string;
  @IsOptional() @IsBoolean() isPublic?: boolean;
  @IsOptional() @IsBoolean() isOfficial?: boolean;
  @IsOptional() @IsBoolean() isDeleted?: boolean;
  @IsOptional() @IsArray() tags?: string[];
  @IsOptional() @IsArray() categoryIds?: string[];
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsNumber() postsCount?: number;
  @IsOptional() @IsNumber() membersCount?: number;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}

/** A user's membership of a community (`data.communityUsers[]`). */
export class AmityCommunityUserDto {
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() communityId?: string;
  /** `none`, `member` or `banned`. */
  @IsOptional() @IsString() communityMembership?: string;
  @IsOptional() @IsBoolean() isBanned?: boolean;
  @IsOptional() @IsArray() roles?: string[];
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}

/** A request to join a community that requires approval. */
export class AmityJoinRequestDto {
  @IsOptional() @IsString() joinRequestId?: string;
  /** The community. */
  @IsString() @IsNotEmpty() targetId!: string;
  @IsOptional() @IsString() targetType?: string;
  /** Who asked to join. */
  @IsOptional() @IsString() requestorId?: string;
  /** Who accepted or rejected. */
  @IsOptional() @IsString() responderId?: string;
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsString() respondedAt?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}

/** An invitation to become a member of a community. */
export class AmityCommunityInvitationDto {
  @IsOptional() @IsString() invitationId?: string;
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() targetId?: string;
  @IsOptional() @IsString() targetType?: string;
  @IsOptional() @IsString() communityId?: string;
  /** The invited user. */
  @IsOptional() @IsString() invitedUserId?: string;
  /** Who invited. */
  @IsOptional() @IsString() inviterUserId?: string;
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsString() respondedAt?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}
