import { describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import fc from 'fast-check';
import { Exclude, plainToInstance, Transform, Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, ValidateIf, ValidateNested, validateSync } from 'class-validator';
import { AmityHashFlagDto } from '../dto/common/amity-hash-flag.dto.js';
import { AMITY_EVENT_REGISTRY, AMITY_WEBHOOK_EVENT_NAMES } from '../events/amity-event.registry.js';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import {
  AmityUnsupportedDtoError,
  AmityUnsupportedPayloadError,
  buildValidAmityDto,
  instantiateAmityDto,
  isValidAmityDto,
} from './amity-compiled.validator.js';

const OPTIONS = { whitelist: false, forbidUnknownValues: true } as const;

type Plain = Record<string, unknown>;

/** What the real libraries say: the instance and whether it is valid. */
function reference(dto: new () => object, plain: Plain) {
  const instance = plainToInstance(dto, plain);
  return { instance, valid: validateSync(instance, OPTIONS).length === 0 };
}

/**
 * One side's answer for a payload, to compare with toStrictEqual: the verdict and, when valid, the
 * instance, its JSON (key order included) and what buildValidAmityDto returns; or the payload refused.
 */
type Answer =
  | { readonly valid: boolean; readonly instance?: object; readonly json?: string; readonly built?: object }
  | { readonly refused: string };

/** The libraries' answer (`refused`: what plainToInstance threw). */
function referenceAnswer(dto: new () => object, plain: Plain): Answer {
  let expected: ReturnType<typeof reference>;
  try {
    expected = reference(dto, plain);
  } catch (error) {
    return { refused: (error as Error).name };
  }
  if (!expected.valid) return { valid: false };
  return { valid: true, instance: expected.instance, json: JSON.stringify(expected.instance), built: expected.instance };
}

/**
 * The fast path's answer. It refuses (AmityUnsupportedPayloadError, buildValidAmityDto undefined)
 * only what plainToInstance throws a TypeError on, so a refusal reads as that TypeError.
 */
function answerOf(dto: new () => object, plain: Plain, handOver: boolean): Answer {
  let fast: object;
  try {
    fast = instantiateAmityDto(dto, plain, handOver);
  } catch (error) {
    if (!(error instanceof AmityUnsupportedPayloadError)) throw error;
    return { refused: buildValidAmityDto(dto, plain, handOver) === undefined ? 'TypeError' : 'built anyway' };
  }
  const built = buildValidAmityDto(dto, plain, handOver);
  if (!isValidAmityDto(fast)) return built === undefined ? { valid: false } : { valid: false, built };
  return { valid: true, instance: fast, json: JSON.stringify(fast), built };
}

/** A deep copy with the same own enumerable keys (`__proto__` included), for a payload to hand over. */
function clonePlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clonePlain);
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: object = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, { value: clonePlain((value as Plain)[key]), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** The fast path's answer; handing the payload over (untyped values reused) must not change it. */
function fastAnswer(dto: new () => object, plain: Plain): Answer {
  const copied = answerOf(dto, plain, false);
  expect(answerOf(dto, clonePlain(plain) as Plain, true)).toStrictEqual(copied);
  return copied;
}

/** A copy of `object` with `key` as an own enumerable data property (`__proto__` included, as JSON.parse makes it). */
function withKey(object: object, key: string, value: unknown): object {
  const copy: object = Array.isArray(object) ? [...(object as unknown[])] : { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

// The fast path must agree with class-transformer + class-validator exactly, or it is wrong.
describe('compiled validator against class-transformer + class-validator', () => {
  it.each([...AMITY_WEBHOOK_EVENT_NAMES])('%s fixture: same instance, same verdict', (name) => {
    const dto = AMITY_EVENT_REGISTRY[name].dto as new () => object;
    const plain = amityFixture(name).data as unknown as Record<string, unknown>;
    const expected = referenceAnswer(dto, plain);
    expect(fastAnswer(dto, plain)).toStrictEqual(expected);
    expect(expected).toHaveProperty('valid', true);
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

  // Keys the DTOs do not declare, or that class-transformer treats specially, at random depths.
  const addedKeys = fc.constantFrom(
    'extra',
    '0',
    'then',
    'users',
    'hashflag',
    'hashFlag',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '__proto__',
    'constructor',
  );

  function addKey(value: unknown, path: readonly number[], key: string, added: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (path.length === 0) return Array.isArray(value) ? value : withKey(value, key, added);
    const keys = Object.keys(value);
    if (keys.length === 0) return value;
    const child = keys[path[0]! % keys.length]!;
    return withKey(value, child, addKey((value as Plain)[child], path.slice(1), key, added));
  }

  it('agrees on thousands of payloads with added keys', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.nat(50), { maxLength: 4 }), addedKeys, junk, (name, path, key, added) => {
        const dto = AMITY_EVENT_REGISTRY[name].dto as new () => object;
        const plain = addKey(amityFixture(name).data, path, key, added) as Plain;
        // class-transformer throws on an untyped object with a truthy own `constructor`; the fast path refuses it.
        const expected = referenceAnswer(dto, plain);
        expect(fastAnswer(dto, plain)).toStrictEqual(expected);
        if ('valid' in expected && expected.valid) valid++;
      }),
      { numRuns: 2000 },
    );
    // Most added keys leave the payload valid, so instances are compared often.
    expect(valid).toBeGreaterThan(1000);
  });

  it.each<[string, string]>([
    ['unknown keys at every level', '{"messages":[{"messageId":"m","channelId":"c","userId":"u","extra":{"a":[1,{"b":null}]},"data":{"text":"t","more":[[]]}}],"users":[],"top":1}'],
    ['keys present as undefined or null', '{"messages":[{"messageId":"m","channelId":"c","userId":"u","type":null,"metadata":null,"tags":null}],"users":null}'],
    ['Object.prototype names as keys', '{"messages":[{"messageId":"m","channelId":"c","userId":"u","toString":"x","valueOf":1,"metadata":{"hasOwnProperty":1,"isPrototypeOf":2,"toLocaleString":3,"k":4}}],"toString":[]}'],
    ['__proto__ keys', '{"__proto__":{"x":1},"messages":[{"__proto__":[],"messageId":"m","channelId":"c","userId":"u","data":{"__proto__":{"y":2},"text":"t"}}]}'],
    ['falsy constructor keys', '{"constructor":1,"messages":[{"constructor":"x","messageId":"m","channelId":"c","userId":"u","metadata":{"constructor":null,"a":1},"data":{"constructor":0},"reactions":{"constructor":false}}]}'],
    ['integer-like keys', '{"1":1,"0":0,"messages":[{"10":"x","2":"y","messageId":"m","channelId":"c","userId":"u","metadata":{"b":1,"3":2,"a":3}}]}'],
    ['hashFlag as undefined-like values', '{"messages":[{"messageId":"m","channelId":"c","userId":"u","hashFlag":null,"hashflag":{"bits":1}}]}'],
  ])('agrees on %s', (_case, json) => {
    const dto = AMITY_EVENT_REGISTRY['message.didCreate'].dto as new () => object;
    const plain = JSON.parse(json) as Plain;
    expect(fastAnswer(dto, plain)).toStrictEqual(referenceAnswer(dto, plain));
  });

  it('reuses the untyped values of a handed-over payload that equal their copy, and copies the others', () => {
    const dto = AMITY_EVENT_REGISTRY['message.didCreate'].dto as new () => object;
    const plain = JSON.parse(
      '{"messages":[{"messageId":"m","channelId":"c","userId":"u","metadata":{"a":{"b":[1]}},"data":{"text":"t","toString":"x"},"tags":["t"]}],"users":[]}',
    ) as { messages: [Plain] };
    const message = (instantiateAmityDto(dto, plain, true) as { messages: [Plain] }).messages[0];
    expect(message['metadata']).toBe(plain.messages[0]['metadata']);
    expect(message['tags']).toBe(plain.messages[0]['tags']);
    // A key Object.prototype owns is left out of the copy (as class-transformer does), so it is copied.
    expect(message['data']).not.toBe(plain.messages[0]['data']);
    expect(message['data']).toStrictEqual({ text: 't' });
    // Not handed over: nothing shared.
    const copied = (instantiateAmityDto(dto, plain) as { messages: [Plain] }).messages[0];
    expect(copied['metadata']).not.toBe(plain.messages[0]['metadata']);
    expect(copied['metadata']).toStrictEqual(plain.messages[0]['metadata']);
  });

  it.each<[string, Plain]>([
    ['hashFlag only', { hashFlag: { bits: 1, hashes: 2, hash: ['a'] } }],
    ['hashflag only', { hashflag: { bits: 1, hashes: 2, hash: ['a'] } }],
    ['both (hashFlag wins)', { hashflag: { bits: 1 }, hashFlag: { bits: 2 } }],
    ['both, hashFlag first', { hashFlag: { bits: 2 }, hashflag: { bits: 1 } }],
    ['hashFlag present as undefined', { hashFlag: undefined, hashflag: { bits: 1 } }],
    ['an invalid hashflag', { hashflag: { bits: 'x' } }],
  ])('agrees on a user with %s', (_case, flags) => {
    const dto = AMITY_EVENT_REGISTRY['user.didUpdate'].dto as new () => object;
    const plain = { users: [{ userId: 'u', ...flags }] };
    expect(fastAnswer(dto, plain)).toStrictEqual(referenceAnswer(dto, plain));
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
    // The alias runs the fast path in the reference too; class-transformer alone must agree with it.
    const user = (fast as { users: Plain[] }).users[0]!;
    expect(user['hashFlag']).toStrictEqual(plainToInstance(AmityHashFlagDto, hashflag as Plain));
  });

  it('builds nothing from values that are not plain JSON data, and lets the libraries handle that payload', () => {
    const dto = AMITY_EVENT_REGISTRY['message.didCreate'].dto as new () => object;
    const message = { messageId: 'm', channelId: 'c', userId: 'u' };
    class Point {
      x = 1;
    }
    for (const plain of [
      { messages: [{ ...message, metadata: { at: new Date(0) } }] },
      { messages: [{ ...message, data: new Point() }] },
      { messages: [new Map([['messageId', 'm']])] },
      { messages: new Set([message]) },
      { messages: [{ ...message, metadata: { constructor: 'Evil' } }] },
    ]) {
      expect(() => instantiateAmityDto(dto, plain)).toThrow(AmityUnsupportedPayloadError);
      expect(buildValidAmityDto(dto, plain)).toBeUndefined();
    }
  });

  it('agrees on DTOs whose property names are not identifiers', () => {
    class Odd {}
    // Quotes, a backslash, line breaks (as a statement end, or after a `//`), template syntax.
    const names = ['a"b', "c'd", 'e\\f', 'g\nthrow 1; //', 'h\u2028i', '*/ x', '${x}', '0x1'];
    for (const name of names) {
      // A @Transform puts the name in the instantiation code too.
      Transform(({ value, key }) => (key === name ? value : 'wrong key'))(Odd.prototype, name);
      IsOptional()(Odd.prototype, name);
      IsString()(Odd.prototype, name);
    }
    const mixed = Object.fromEntries(names.map((name, i) => [name, i % 2 ? `v${i}` : i])) as Plain;
    const strings = Object.fromEntries(names.map((name) => [name, name])) as Plain;
    for (const plain of [mixed, strings]) expect(fastAnswer(Odd, plain)).toStrictEqual(referenceAnswer(Odd, plain));
    expect(referenceAnswer(Odd, strings)).toHaveProperty('valid', true);
  });

  it.each<[string, Plain]>([
    ['condition holds, value valid', { kind: 'x', name: 'n', size: 1 }],
    ['condition holds, value invalid', { kind: 'x', name: 1 }],
    ['condition fails', { kind: 'y', name: 1 }],
    ['optional and conditional, absent', { kind: 'x' }],
    ['nested array of DTOs', { kind: 'y', children: [{ kind: 'x', name: 'n' }, undefined] }],
    ['nested array with an invalid DTO', { kind: 'y', children: [{ kind: 'x', name: 2 }] }],
    ['nested primitive', { kind: 'y', children: [1] }],
  ])('agrees on @ValidateIf and @IsOptional together: %s', (_case, plain) => {
    class Conditional {
      @IsString() kind!: string;
      @ValidateIf((object: { kind?: string }) => object.kind === 'x') @IsOptional() @IsString() name?: string;
      @IsOptional() @IsNumber({}, { each: true }) size?: number;
      @IsOptional() @ValidateNested({ each: true }) @Type(() => Conditional) children?: Conditional[];
    }
    expect(fastAnswer(Conditional, plain)).toStrictEqual(referenceAnswer(Conditional, plain));
  });

  it('refuses DTOs it does not model, so the libraries handle them', () => {
    class WithExclude {
      @IsString() name!: string;
      @Exclude() secret?: string;
    }
    class WithDate {
      @Type(() => Date) at?: Date;
    }
    class WithAccessor {
      @IsNumber() total = 0;
      get double(): number {
        return this.total * 2;
      }
    }
    class WithValidateIfOption {
      @IsString({ validateIf: (object: { kind?: string }) => object.kind === 'x' }) name?: string;
    }
    class WithNested {
      @ValidateNested() @Type(() => WithValidateIfOption) child?: WithValidateIfOption;
    }
    expect(() => instantiateAmityDto(WithExclude, { name: 'x' })).toThrow(AmityUnsupportedDtoError);
    expect(() => instantiateAmityDto(WithDate, { at: '2026-01-01' })).toThrow(AmityUnsupportedDtoError);
    expect(() => instantiateAmityDto(WithAccessor, { total: 1 })).toThrow(AmityUnsupportedDtoError);
    expect(() => isValidAmityDto(new WithValidateIfOption())).toThrow(AmityUnsupportedDtoError);
    expect(() => buildValidAmityDto(WithNested, { child: {} })).toThrow(AmityUnsupportedDtoError);
    // Remembered: the same error again, not a new analysis.
    expect(() => instantiateAmityDto(WithExclude, { name: 'x' })).toThrow(AmityUnsupportedDtoError);
  });
});
