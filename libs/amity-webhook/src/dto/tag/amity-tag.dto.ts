// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { IsBoolean, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString } from 'class-validator';

/** A user tag created, updated or soft-deleted by an admin: the `data` of the `tag.*` events. */
export class AmityTagDto {
  @IsString() @IsNotEmpty() tagId!: string;
  @IsOptional() @IsString() publicId?: string;
  @IsOptional() @IsString() networkId?: string;
  @IsOptional() @IsString() name?: string;
  /** `user`. */
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() backgroundColor?: string;
  @IsOptional() @IsString() textColor?: string;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsNumber() usersCount?: number;
  @IsOptional() @IsBoolean() isDeleted?: boolean;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}
