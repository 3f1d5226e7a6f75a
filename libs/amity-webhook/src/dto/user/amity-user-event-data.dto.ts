// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';

/**
 * `data` of `user.didCreate`, `didUpdate`, `didFlag`, `didUnflag`, `didClearFlag` and
 * `user.profileReset`: the user(s) concerned and their files (avatars).
 */
export class AmityUserEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users!: AmityUserDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
}
