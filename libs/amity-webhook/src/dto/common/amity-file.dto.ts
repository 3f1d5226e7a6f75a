// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { IsNotEmpty, IsObject, IsOptional, IsString } from 'class-validator';

/** A stored file (image, video, attachment) as embedded in webhook payloads. */
export class AmityFileDto {
  @IsString() @IsNotEmpty() fileId!: string;
  @IsOptional() @IsString() fileUrl?: string;
  /** `image`, `file` or `video`. */
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() accessType?: string;
  @IsOptional() @IsObject() attributes?: {
    name?: string;
    extension?: string;
    size?: number;
    mimeType?: string;
    metadata?: Record<string, unknown>;
  };
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}
