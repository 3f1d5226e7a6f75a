// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { IsOptional, IsString } from 'class-validator';

/** Who added or removed a reaction (`data.reactor` of the `*.didAddReaction` / `*.didRemoveReaction` events). */
export class AmityReactorDto {
  /** The reaction's name, e.g. `like`. */
  @IsOptional() @IsString() reactionName?: string;
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() userInternalId?: string;
  @IsOptional() @IsString() reactionId?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() updatedAt?: string;
}
