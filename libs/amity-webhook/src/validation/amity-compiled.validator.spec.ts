import { describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import fc from 'fast-check';
import { Exclude, plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';
import { AMITY_EVENT_REGISTRY, AMITY_WEBHOOK_EVENT_NAMES } from '../events/amity-event.registry.js';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { AmityUnsupportedDtoError, instantiateAmityDto, isValidAmityDto } from './amity-compiled.validator.js';

const OPTIONS = { whitelist: false, forbidUnknownValues: true } as const;

/** What the real libraries say: the instance and whether it is valid. */
function reference(dto: new () => object, plain: Record<string, unknown>) {
  const instance = plainToInstance(dto, plain);
  return { instance, valid: validateSync(instance, OPTIONS).length === 0 };
}

// The fast path must agree with class-transformer + class-validator exactly, or it is wrong.
describe('compiled validator against class-transformer + class-validator', () => {
  it.each([...AMITY_WEBHOOK_EVENT_NAMES])('%s fixture: same instance, same verdict', (name) => {
    const dto = AMITY_EVENT_REGISTRY[name].dto as new () => object;
    const plain = amityFixture(name).data as unknown as Record<string, unknown>;
    const expected = reference(dto, plain);
    const fast = instantiateAmityDto(dto, plain);
    expect(fast).toStrictEqual(expected.instance);
    expect(isValidAmityDto(fast)).toBe(expected.valid);
    expect(expected.valid).toBe(true);
  });

  // Random damage to real payloads: removed fields, wrong types, nulls, arrays for objects...
  const names = [...AMITY_WEBHOOK_EVENT_NAMES];
  const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), fc.integer(), fc.string(), fc.constant([]), fc.constant({}), fc.array(fc.string(), { maxLength: 2 }), fc.constant([null]), fc.constant([1]));

  function damage(value: unknown, path: readonly number[], replacement: unknown, remove: boolean): unknown {
    if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
    const keys = Object.keys(value);
    if (keys.length === 0) return value;
    const key = keys[path[0]! % keys.length]!;
    const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
    if (remove && path.length === 1 && !Array.isArray(value)) delete copy[key];
    else copy[key] = damage((value as Record<string, unknown>)[key], path.slice(1), replacement, remove);
    return copy;
  }

  it('agrees on thousands of damaged payloads', () => {
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }),
        junk,
        fc.boolean(),
        (name, path, replacement, remove) => {
          const dto = AMITY_EVENT_REGISTRY[name].dto as new () => object;
          const plain = damage(amityFixture(name).data, path, replacement, remove) as Record<string, unknown>;
          const expected = reference(dto, plain);
          const fast = instantiateAmityDto(dto, plain);
          expect(isValidAmityDto(fast)).toBe(expected.valid);
          // Instances are compared when valid (an invalid one is rebuilt by the libraries anyway).
          expect(expected.valid ? fast : undefined).toStrictEqual(expected.valid ? expected.instance : undefined);
          if (!expected.valid) invalid++;
        },
      ),
      { numRuns: 3000 },
    );
    // The damage reached validation often enough for the comparison to mean something.
    expect(invalid).toBeGreaterThan(300);
  });

  it.each<[string, unknown]>([
    ['an object', { bits: 1 }],
    ['an array of objects', [{}, { bits: 2 }]],
    ['an array of primitives', ['x', 1]],
    ['nested arrays', [[{ bits: 1 }]]],
    ['null', null],
  ])('agrees on a hashflag alias that is %s', (_case, hashflag) => {
    const dto = AMITY_EVENT_REGISTRY['user.didUpdate'].dto as new () => object;
    const plain = { users: [{ userId: 'u', hashflag }] };
    const expected = reference(dto, plain);
    const fast = instantiateAmityDto(dto, plain);
    expect(fast).toStrictEqual(expected.instance);
    expect(isValidAmityDto(fast)).toBe(expected.valid);
  });

  it('refuses DTOs it does not model, so the libraries handle them', () => {
    class WithExclude {
      @IsString() name!: string;
      @Exclude() secret?: string;
    }
    expect(() => instantiateAmityDto(WithExclude, { name: 'x' })).toThrow(AmityUnsupportedDtoError);
  });
});
