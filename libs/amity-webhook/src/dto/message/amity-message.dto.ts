// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Expose, Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityHashFlagDto } from '../common/amity-hash-flag.dto.js';
import { hashFlagAlias } from '../common/amity-dto.transforms.js';

/** A chat message as embedded in `message.*` payloads. Unknown fields are kept. */
export class AmityMessageDto {
  @IsString() @IsNotEmpty() messageId!: string;
  @IsString() @IsNotEmpty() channelId!: string;
  /** The sender. */
  @IsString() @IsNotEmpty() userId!: string;
  /** `text`, `image`, `file`, `video`, `audio`, `custom`, ... */
  @IsOptional() @IsString() type?: string;
  /** The content, e.g. `{ text }` for a text message. */
  @IsOptional() @IsObject() data?: { text?: string; [key: string]: unknown };
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsString() parentId?: string;
  @IsOptional() @IsString() fileId?: string;
  @IsOptional() @IsArray() tags?: string[];
  /** Sequence number of the message within its channel. */
  @IsOptional() @IsNumber() channelSegment?: number;
  @IsOptional() @IsBoolean() isDeleted?: boolean;
  @IsOptional() @IsNumber() flagCount?: number;
  /** Normalised from `hashFlag` or `hashflag`, whichever the payload carried. */
  @Expose() @Transform(hashFlagAlias) @IsOptional() @ValidateNested() @Type(() => AmityHashFlagDto) hashFlag?: AmityHashFlagDto;
  @IsOptional() @IsObject() reactions?: Record<string, number>;
  @IsOptional() @IsNumber() reactionsCount?: number;
  @IsOptional() @IsArray() mentionees?: Array<{ type?: string; userIds?: string[] }>;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
  @IsOptional() @IsString() editedAt?: string;
}
