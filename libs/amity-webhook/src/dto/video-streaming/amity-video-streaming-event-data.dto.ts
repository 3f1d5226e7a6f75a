// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityFileDto } from '../common/amity-file.dto.js';
import { AmityUserDto } from '../common/amity-user.dto.js';

/** A live stream as embedded in `video-streaming.*` payloads. */
export class AmityVideoStreamingDto {
  @IsString() @IsNotEmpty() streamId!: string;
  /** The streamer. */
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() thumbnailFileId?: string;
  /** `idle`, `live`, `ended` or `recorded`. */
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsBoolean() isDeleted?: boolean;
  @IsOptional() @IsString() resolution?: string;
  /** Recording URLs per format (`flv`, `mp4`, `m3u8`), once recorded. */
  @IsOptional() @IsArray() recordings?: Array<Record<string, { url?: string; duration?: number }>>;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsString() startedAt?: string;
  @IsOptional() @IsString() endedAt?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}

/** `data` of `video-streaming.didStart`, `didStop` and `didRecord` (and their deprecated `v3.` names). */
export class AmityVideoStreamingEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityVideoStreamingDto)
  videoStreamings!: AmityVideoStreamingDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityFileDto)
  files: AmityFileDto[] = [];
}
