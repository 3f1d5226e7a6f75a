// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Expose, Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityHashFlagDto } from '../common/amity-hash-flag.dto.js';
import { hashFlagAlias } from '../common/amity-dto.transforms.js';

/** A comment (or reply) as embedded in `v3.comment.*` and `v3.post.*` payloads. Unknown fields are kept. */
export class AmityCommentDto {
  @IsString() @IsNotEmpty() commentId!: string;
  /** The author. */
  @IsOptional() @IsString() userId?: string;
  /** The comment replied to. */
  @IsOptional() @IsString() parentId?: string;
  /** The top-level comment of the thread. */
  @IsOptional() @IsString() rootId?: string;
  /** The post (or story, content) commented on. */
  @IsOptional() @IsString() referenceId?: string;
  /** `post`, `content` or `story`. */
  @IsOptional() @IsString() referenceType?: string;
  @IsOptional() @IsString() dataType?: string;
  /** The content, e.g. `{ text }`. */
  @IsOptional() @IsObject() data?: { text?: string; [key: string]: unknown };
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsNumber() childrenNumber?: number;
  @IsOptional() @IsNumber() flagCount?: number;
  /** Normalised from `hashFlag` or `hashflag`. */
  @Expose() @Transform(hashFlagAlias) @IsOptional() @ValidateNested() @Type(() => AmityHashFlagDto) hashFlag?: AmityHashFlagDto;
  @IsOptional() @IsObject() reactions?: Record<string, number>;
  @IsOptional() @IsNumber() reactionsCount?: number;
  @IsOptional() @IsBoolean() isDeleted?: boolean;
  @IsOptional() @IsArray() mentionees?: Array<{ type?: string; userIds?: string[] }>;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
  @IsOptional() @IsString() editedAt?: string;
}
