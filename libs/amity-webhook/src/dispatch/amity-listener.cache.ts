import type { EventEmitter2 } from '@nestjs/event-emitter';

type Listener = (...args: unknown[]) => unknown;

/** The EventEmitter2 methods through which every listener is added or removed. */
const MUTATORS = ['_on', 'off', 'removeListener', 'removeAllListeners'] as const;

/** Event names kept at most; unknown events can have any name, so the cache starts over past this. */
const MAX_NAMES = 512;

/**
 * The listeners of each event name on an `EventEmitter2`, looked up once and kept until a listener
 * is added or removed. With `wildcard: true` every `listeners(name)` splits the name and walks the
 * listener tree; the dispatcher asks for the same few names thousands of times a second.
 *
 * The emitter's own `_on` (behind `on`, `prependListener`, `once`, `many` ...), `off`,
 * `removeListener` and `removeAllListeners` are wrapped on this instance to drop the cache before
 * they run. An emitter without those methods is asked every time. The arrays handed out are never
 * mutated: one that is being iterated stays as it was when a listener removes itself.
 */
export class AmityListenerCache {
  private byName = new Map<string, readonly Listener[]>();
  private readonly enabled: boolean;

  constructor(private readonly emitter: EventEmitter2) {
    const target = emitter as unknown as Record<string, unknown>;
    this.enabled = MUTATORS.every((name) => typeof target[name] === 'function');
    if (!this.enabled) return;
    for (const name of MUTATORS) {
      const original = target[name] as (this: unknown, ...args: unknown[]) => unknown;
      const invalidate = (): void => this.invalidate();
      target[name] = function (this: unknown, ...args: unknown[]): unknown {
        invalidate();
        return original.apply(this, args);
      };
    }
  }

  /** The listeners of `name`, as `emitter.listeners(name)` returns them (do not mutate). */
  listeners(name: string): readonly Listener[] {
    if (!this.enabled) return this.emitter.listeners(name) as Listener[];
    let found = this.byName.get(name);
    if (found === undefined) {
      if (this.byName.size >= MAX_NAMES) this.byName = new Map();
      found = (this.emitter.listeners(name) as Listener[]).slice();
      this.byName.set(name, found);
    }
    return found;
  }

  /** Forgets every lookup (a listener was added or removed). */
  invalidate(): void {
    if (this.byName.size > 0) this.byName = new Map();
  }
}
