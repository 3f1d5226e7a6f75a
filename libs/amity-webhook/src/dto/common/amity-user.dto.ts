// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Expose, Transform, Type } from 'class-transformer';
import { IsArray, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityHashFlagDto } from './amity-hash-flag.dto.js';
import { hashFlagAlias } from './amity-dto.transforms.js';

/** A social.plus user as embedded in webhook payloads (`data.users[]`). Unknown fields are kept. */
export class AmityUserDto {
  /** The user's id in your network. */
  @IsString() @IsNotEmpty() userId!: string;
  @IsOptional() @IsString() userPublicId?: string;
  @IsOptional() @IsString() userInternalId?: string;
  @IsOptional() @IsString() displayName?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() avatarFileId?: string;
  @IsOptional() @IsArray() roles?: string[];
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsNumber() flagCount?: number;
  /** Normalised from `hashFlag` or `hashflag`, whichever the payload carried. */
  @Expose() @Transform(hashFlagAlias) @IsOptional() @ValidateNested() @Type(() => AmityHashFlagDto) hashFlag?: AmityHashFlagDto;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}
