// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Expose, Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityHashFlagDto } from '../common/amity-hash-flag.dto.js';
import { hashFlagAlias } from '../common/amity-dto.transforms.js';

/**
 * A post as embedded in `v3.post.*` payloads. The text is on the parent post; each image, video or
 * file is a child post (`postChildren`). Unknown fields are kept.
 */
export class AmityPostDto {
  @IsString() @IsNotEmpty() postId!: string;
  @IsOptional() @IsString() parentPostId?: string;
  /** The author. */
  @IsOptional() @IsString() postedUserId?: string;
  /** The feed owner: a community or user id. */
  @IsOptional() @IsString() targetId?: string;
  /** `community`, `user` or `content`. */
  @IsOptional() @IsString() targetType?: string;
  /** `text`, `image`, `file`, `video`, `liveStream`, `poll` or a custom type. */
  @IsOptional() @IsString() dataType?: string;
  /** The content, e.g. `{ text }` or `{ fileId }`. */
  @IsOptional() @IsObject() data?: { text?: string; title?: string; [key: string]: unknown };
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsNumber() flagCount?: number;
  /** Normalised from `hashFlag` or `hashflag`. */
  @Expose() @Transform(hashFlagAlias) @IsOptional() @ValidateNested() @Type(() => AmityHashFlagDto) hashFlag?: AmityHashFlagDto;
  @IsOptional() @IsObject() reactions?: Record<string, number>;
  @IsOptional() @IsNumber() reactionsCount?: number;
  @IsOptional() @IsNumber() commentsCount?: number;
  @IsOptional() @IsArray() children?: string[];
  @IsOptional() @IsBoolean() isDeleted?: boolean;
  @IsOptional() @IsString() feedId?: string;
  @IsOptional() @IsArray() tags?: string[];
  @IsOptional() @IsArray() mentionees?: Array<{ type?: string; userIds?: string[] }>;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
  @IsOptional() @IsString() editedAt?: string;
}
