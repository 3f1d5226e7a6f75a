// class-transformer's @Type reads design-time metadata, so the polyfill must load before any DTO.
import 'reflect-metadata';
import { IsArray, IsNumber, IsOptional } from 'class-validator';

/** Bloom-filter digest of who flagged an entity. */
export class AmityHashFlagDto {
  /** Filter size in bits. */
  @IsOptional() @IsNumber() bits?: number;
  /** Number of hash functions. */
  @IsOptional() @IsNumber() hashes?: number;
  /** The filter words. */
  @IsOptional() @IsArray() hash?: string[];
}
