import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { AMITY_FIXTURE_DATA } from '../testing/fixtures/amity-event.fixtures.js';
import type { AmityWebhookEventName } from '../events/amity-event-data.map.js';
import { AMITY_PAYLOAD_LIMIT_DEFAULTS, checkAmityPayloadLimits, type AmityPayloadLimits } from './amity-payload.limits.js';

/** The measures the limits bound, computed plainly (recursively) as the reference. */
function measure(value: unknown, depth = 1, into = { depth: 0, keys: 0, array: 0, string: 0 }) {
  if (typeof value === 'string') into.string = Math.max(into.string, value.length);
  if (value === null || typeof value !== 'object') return into;
  into.depth = Math.max(into.depth, depth);
  if (Array.isArray(value)) {
    into.array = Math.max(into.array, value.length);
    for (const item of value) measure(item, depth + 1, into);
  } else {
    into.keys += Object.keys(value).length;
    for (const item of Object.values(value)) measure(item, depth + 1, into);
  }
  return into;
}

/** The time `fn` takes, best of a few runs (the first ones warm the JIT up). */
function timed(fn: () => unknown): { ms: number; result: unknown } {
  let best = Infinity;
  let result: unknown;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, result };
}

describe('checkAmityPayloadLimits defaults', () => {
  const names = Object.keys(AMITY_FIXTURE_DATA) as AmityWebhookEventName[];

  it.each(names)('%s: the fixture is within the defaults, with a wide margin', (name) => {
    const body = JSON.parse(JSON.stringify(amityFixture(name))) as unknown;
    expect(checkAmityPayloadLimits(body)).toBeUndefined();
    // Still within limits four times tighter than the defaults.
    const tight = Object.fromEntries(Object.entries(AMITY_PAYLOAD_LIMIT_DEFAULTS).map(([k, v]) => [k, Math.floor(v / 4)]));
    expect(checkAmityPayloadLimits(body, tight)).toBeUndefined();
  });

  it('covers every fixture, and states the largest measures the defaults were chosen against', () => {
    expect(names).toHaveLength(88);
    const most = { depth: 0, keys: 0, array: 0, string: 0 };
    for (const name of names) {
      const m = measure(amityFixture(name));
      for (const k of Object.keys(most) as Array<keyof typeof most>) most[k] = Math.max(most[k], m[k]);
    }
    // The JSDoc of AMITY_PAYLOAD_LIMIT_DEFAULTS quotes these figures.
    expect(most).toEqual({ depth: 7, keys: 78, array: 2, string: 64 });
  });
});

describe('checkAmityPayloadLimits', () => {
  const nest = (levels: number, leaf: unknown = 1): unknown => {
    let value: unknown = leaf;
    for (let i = 0; i < levels; i++) value = { a: value };
    return value;
  };

  it('names depth, the limit and where it was crossed', () => {
    expect(checkAmityPayloadLimits({ data: nest(3) }, { maxDepth: 4 })).toBeUndefined();
    expect(checkAmityPayloadLimits({ data: nest(4) }, { maxDepth: 4 })).toBe('depth 5 exceeds maxDepth 4 at data.a.a.a');
    expect(checkAmityPayloadLimits({ data: [[[]]] }, { maxDepth: 3 })).toBe('depth 4 exceeds maxDepth 3 at data[0][0]');
    expect(checkAmityPayloadLimits([], { maxDepth: 0 })).toBe('depth 1 exceeds maxDepth 0 at (root)');
  });

  it('shortens a deep path in the middle and quotes odd or long keys', () => {
    expect(checkAmityPayloadLimits({ data: nest(100) })).toBe('depth 33 exceeds maxDepth 32 at data.a.a.a.a.a.a.a.(…21 more…).a.a.a');
    const odd = { 'a b': { ['k'.repeat(40)]: { '0': {} } } };
    expect(checkAmityPayloadLimits(odd, { maxDepth: 3 })).toBe(`depth 4 exceeds maxDepth 3 at ["a b"]["${'k'.repeat(32)}…"]["0"]`);
  });

  it('counts keys across the whole body', () => {
    const body = { data: { a: 1, b: 2 }, more: [{ c: 3 }, { d: 4, e: 5 }] };
    expect(checkAmityPayloadLimits(body, { maxKeys: 7 })).toBeUndefined();
    expect(checkAmityPayloadLimits(body, { maxKeys: 6 })).toBe('7 keys exceed maxKeys 6 at more[1]');
  });

  it('bounds each array and each string', () => {
    expect(checkAmityPayloadLimits({ data: { ids: [1, 2, 3] } }, { maxArrayLength: 3 })).toBeUndefined();
    expect(checkAmityPayloadLimits({ data: { ids: [1, 2, 3, 4] } }, { maxArrayLength: 3 })).toBe(
      'array of 4 elements exceeds maxArrayLength 3 at data.ids',
    );
    expect(checkAmityPayloadLimits({ data: { texts: ['ok', 'long!'] } }, { maxStringLength: 4 })).toBe(
      'string of 5 characters exceeds maxStringLength 4 at data.texts[1]',
    );
    expect(checkAmityPayloadLimits('long!', { maxStringLength: 4 })).toBe('string of 5 characters exceeds maxStringLength 4 at (root)');
    expect(checkAmityPayloadLimits(42)).toBeUndefined();
    expect(checkAmityPayloadLimits(null)).toBeUndefined();
  });

  it('reports the first limit crossed in document order', () => {
    expect(checkAmityPayloadLimits({ first: 'xxxxx', second: [1, 2, 3, 4] }, { maxStringLength: 4, maxArrayLength: 3 })).toMatch(
      /^string .* at first$/,
    );
  });

  it('does not recurse: a million levels are checked without a stack overflow', () => {
    const deep = nest(1_000_000);
    expect(checkAmityPayloadLimits(deep, { maxDepth: Infinity, maxKeys: Infinity })).toBeUndefined();
    expect(checkAmityPayloadLimits(deep)).toMatch(/^depth 33 exceeds maxDepth 32 at a\.a/);
  });

  it('agrees with a plain recursive measure on arbitrary JSON', () => {
    const limits = fc.record({
      maxDepth: fc.integer({ min: 1, max: 6 }),
      maxKeys: fc.integer({ min: 0, max: 30 }),
      maxArrayLength: fc.integer({ min: 0, max: 6 }),
      maxStringLength: fc.integer({ min: 0, max: 12 }),
    });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), limits, (value, l: AmityPayloadLimits) => {
        const m = measure(value);
        const over: string[] = [];
        if (m.depth > l.maxDepth) over.push('maxDepth');
        if (m.keys > l.maxKeys) over.push('maxKeys');
        if (m.array > l.maxArrayLength) over.push('maxArrayLength');
        if (m.string > l.maxStringLength) over.push('maxStringLength');
        const reason = checkAmityPayloadLimits(value, l);
        expect(reason === undefined).toBe(over.length === 0);
        // The limit a reason names is one the value exceeds.
        const named = reason === undefined ? [] : [/(max\w+)/.exec(reason)![1]];
        expect(over).toEqual(expect.arrayContaining(named));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('checkAmityPayloadLimits on hostile 1 MiB bodies', () => {
  it('refuses 60,000 keys in well under 50 ms', () => {
    const text = `{"event":"message.didCreate","data":{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":${i}`).join(',')}}}`;
    expect(text.length).toBeGreaterThan(800_000);
    expect(text.length).toBeLessThanOrEqual(1024 * 1024);
    const body = JSON.parse(text) as unknown;
    const { ms, result } = timed(() => checkAmityPayloadLimits(body));
    expect(result).toBe('60002 keys exceed maxKeys 2000 at data');
    expect(ms).toBeLessThan(50);
  });

  it('refuses 10,000 levels of nesting in well under 50 ms', () => {
    const text = `{"event":"message.didCreate","data":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const body = JSON.parse(text) as unknown;
    const { ms, result } = timed(() => checkAmityPayloadLimits(body));
    expect(result).toMatch(/^depth 33 exceeds maxDepth 32 at data\.a\.a/);
    expect(ms).toBeLessThan(50);
  });

  it('accepts the costliest 1 MiB body within the defaults in well under 50 ms', () => {
    // At every limit: 2,000 keys (2 + 1,988 + 9 + 1), nesting to 32, arrays of 1,000 numbers and strings of 128 Ki filling the MiB.
    const objects = Array.from({ length: 1_988 }, (_, i) => `"k${i}":{}`).join(',');
    const arrays = Array.from({ length: 9 }, (_, i) =>
      i < 7 ? `"n${i}":[${Array.from({ length: 1_000 }, () => '7').join(',')}]` : `"n${i}":["${'s'.repeat(131_072)}","${'s'.repeat(131_072)}"]`,
    ).join(',');
    const text = `{"event":"x","data":{${objects},${arrays},"deep":${'['.repeat(30)}${']'.repeat(30)}}}`;
    expect(text.length).toBeLessThanOrEqual(1024 * 1024);
    const body = JSON.parse(text) as unknown;
    const { ms, result } = timed(() => checkAmityPayloadLimits(body));
    expect(result).toBeUndefined();
    expect(ms).toBeLessThan(50);
  });
});
