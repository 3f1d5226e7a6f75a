// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';

/**
 * `data` of the `follow.*` events and of `user.didBlock` / `user.didUnblock`: one relationship
 * from `from` to `to` (not an array), plus the users and files newer payloads carry.
 */
export class AmityFollowEventDataDto {
  /** The user who follows, requests, blocks... */
  @IsString() @IsNotEmpty() from!: string;
  /** The user followed, requested, blocked... */
  @IsString() @IsNotEmpty() to!: string;
  /** `pending`, `accepted`, `none` or `blocked`. */
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
}
