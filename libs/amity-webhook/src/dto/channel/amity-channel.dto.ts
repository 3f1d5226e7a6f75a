// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { IsArray, IsBoolean, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString } from 'class-validator';

/** A chat channel as embedded in `channel.*` and `moderation.didBan` payloads. Unknown fields are kept. */
export class AmityChannelDto {
  @IsString() @IsNotEmpty() channelId!: string;
  /** `community`, `live`, `broadcast`, `conversation`, or the deprecated `standard` / `private`. */
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() displayName?: string;
  @IsOptional() @IsBoolean() isDistinct?: boolean;
  @IsOptional() @IsBoolean() isMuted?: boolean;
  @IsOptional() @IsBoolean() isRateLimited?: boolean;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsArray() tags?: string[];
  @IsOptional() @IsNumber() memberCount?: number;
  @IsOptional() @IsNumber() messageCount?: number;
  @IsOptional() @IsString() lastActivity?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}
