// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsNotEmpty, IsNumber, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AmityUserDto } from '../common/amity-user.dto.js';

/** A poll as embedded in `poll.*` payloads. */
export class AmityPollDto {
  @IsString() @IsNotEmpty() pollId!: string;
  /** The creator. */
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() question?: string;
  @IsOptional() @IsString() title?: string;
  /** `{ id, dataType, data, voteCount }` per answer. */
  @IsOptional() @IsArray() answers?: Array<{ id?: string; dataType?: string; data?: string; voteCount?: number }>;
  /** `single` or `multiple`. */
  @IsOptional() @IsString() answerType?: string;
  /** `open` or `closed`. */
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsNumber() closedIn?: number;
  @IsOptional() @IsString() closedAt?: string;
  @IsOptional() @IsBoolean() isVoted?: boolean;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}

/** `data` of `poll.didCreate`, `poll.didUpdate` and `poll.didVote`. */
export class AmityPollEventDataDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => AmityPollDto)
  polls!: AmityPollDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AmityUserDto)
  users: AmityUserDto[] = [];
}
