import { plainToInstance, type TransformFnParams } from 'class-transformer';
import { AmityHashFlagDto } from './amity-hash-flag.dto.js';

// class-transformer runs @Type conversion first and these transforms second, so they receive
// (and must return) DTO instances.

/**
 * The spec types some entities as arrays while the vendor's own sample sends a single object
 * (`data.channel`): handlers always get an array.
 */
export function toArray({ value }: TransformFnParams): unknown {
  if (value === undefined || value === null || Array.isArray(value)) return value;
  return [value];
}

/** The vendor spells the flag digest both `hashFlag` (spec) and `hashflag` (sample); keep `hashFlag`. */
export function hashFlagAlias({ value, obj }: TransformFnParams): unknown {
  if (value !== undefined) return value;
  const alias = (obj as Record<string, unknown>)['hashflag'];
  return toHashFlag(alias);
}

/** The alias as the DTO the `hashFlag` property is typed with (arrays item by item, as class-transformer does). */
function toHashFlag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toHashFlag);
  return value !== null && typeof value === 'object' ? plainToInstance(AmityHashFlagDto, value) : value;
}
