import { describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import fc from 'fast-check';
import { AmityListenerCache } from './amity-listener.cache.js';

const NAME = 'amity.message.didCreate';

/** The cached listeners of `amity.<event>`. */
const of = (cache: AmityListenerCache, name: string) => cache.listeners('amity', name.slice('amity.'.length)).listeners;

describe('AmityListenerCache', () => {
  it('answers as emitter.listeners() after every kind of change', () => {
    const emitter = new EventEmitter2({ wildcard: true });
    const cache = new AmityListenerCache(emitter);
    const a = () => 'a';
    const b = () => 'b';
    const c = () => 'c';
    const expectSame = () => expect(of(cache, NAME)).toEqual(emitter.listeners(NAME));

    expect(of(cache, NAME)).toEqual([]);
    emitter.on(NAME, a);
    expectSame();
    emitter.prependListener('amity.**', b);
    expectSame();
    emitter.once(NAME, c);
    expectSame();
    expect(of(cache, NAME)).toHaveLength(3);
    emitter.emit(NAME, {}); // the once-listener removes itself
    expectSame();
    expect(of(cache, NAME)).toHaveLength(2);
    emitter.many(NAME, 2, c);
    emitter.off(NAME, a);
    expectSame();
    emitter.removeListener('amity.**', b);
    expectSame();
    emitter.removeAllListeners(NAME);
    expect(of(cache, NAME)).toEqual([]);
  });

  it('keeps the array it handed out unchanged when a listener removes itself mid-iteration', () => {
    const emitter = new EventEmitter2({ wildcard: true });
    const cache = new AmityListenerCache(emitter);
    const calls: string[] = [];
    const once = (): void => {
      calls.push('once');
      emitter.off(NAME, once);
    };
    const after = (): void => {
      calls.push('after');
    };
    emitter.on(NAME, once);
    emitter.on(NAME, after);
    const listeners = of(cache, NAME);
    for (const listener of listeners) listener();
    expect(calls).toEqual(['once', 'after']);
    expect(listeners).toHaveLength(2);
    expect(of(cache, NAME)).toEqual([after]);
  });

  it('matches emitter.listeners() for any sequence of adds, removals and lookups (model)', () => {
    const names = ['amity.message.didCreate', 'amity.message.didUpdate', 'amity.**', 'amity.message.*', 'other.x'];
    const pool = Array.from({ length: 4 }, (_, i) => () => i);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('on' as const), name: fc.constantFrom(...names), fn: fc.nat(3), prepend: fc.boolean() }),
      fc.record({ kind: fc.constant('off' as const), name: fc.constantFrom(...names), fn: fc.nat(3) }),
      fc.record({ kind: fc.constant('clear' as const), name: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant('lookup' as const), name: fc.constantFrom(...names.slice(0, 2)) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const emitter = new EventEmitter2({ wildcard: true });
        const cache = new AmityListenerCache(emitter);
        const lookups: Array<[readonly unknown[], unknown[]]> = [];
        for (const o of ops) {
          if (o.kind === 'on') {
            if (o.prepend) emitter.prependListener(o.name, pool[o.fn]!);
            else emitter.on(o.name, pool[o.fn]!);
          } else if (o.kind === 'off') emitter.off(o.name, pool[o.fn]!);
          else if (o.kind === 'clear') emitter.removeAllListeners(o.name);
          else lookups.push([of(cache, o.name), emitter.listeners(o.name)]);
        }
        for (const [cached, actual] of lookups) expect(cached).toEqual(actual);
        for (const name of names.slice(0, 2)) expect(of(cache, name)).toEqual(emitter.listeners(name));
      }),
    );
  });

  it('asks the emitter every time when it cannot see its changes', () => {
    const listeners = [() => 1];
    let asked = 0;
    const bare = { listeners: () => (asked++, listeners) } as unknown as EventEmitter2;
    const cache = new AmityListenerCache(bare);
    of(cache, NAME);
    of(cache, NAME);
    expect(asked).toBe(2);
  });

  it('starts over past 512 distinct names instead of growing without bound', () => {
    const emitter = new EventEmitter2({ wildcard: true });
    const cache = new AmityListenerCache(emitter);
    const fn = () => 0;
    emitter.on('amity.**', fn);
    for (let i = 0; i < 2000; i++) expect(of(cache, `amity.custom${i}`)).toEqual([fn]);
    const size = (cache as unknown as { names: number }).names;
    expect(size).toBeLessThanOrEqual(512);
    expect(cache.listeners('amity', 'custom1999')).toEqual({ name: 'amity.custom1999', listeners: [fn] });
  });
});
