import type { EventEmitter2 } from '@nestjs/event-emitter';

type Listener = (...args: unknown[]) => unknown;

/** The listeners of one event name. */
export interface AmityListeners {
  /** `<namespace>.<event>`. */
  readonly name: string;
  readonly listeners: readonly Listener[];
}

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
  /** Per namespace, per event: the full name and its listeners. */
  private byNamespace = new Map<string, Map<string, AmityListeners>>();
  private names = 0;
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

  /**
   * The listeners of `<namespace>.<event>`, as `emitter.listeners()` returns them (do not mutate),
   * with that name. Keyed by the two parts, so a hit builds no string.
   */
  listeners(namespace: string, event: string): AmityListeners {
    if (!this.enabled) return this.lookUp(namespace, event);
    let byEvent = this.byNamespace.get(namespace);
    if (byEvent === undefined) this.byNamespace.set(namespace, (byEvent = new Map()));
    let found = byEvent.get(event);
    if (found === undefined) {
      if (this.names >= MAX_NAMES) {
        this.invalidate();
        this.byNamespace.set(namespace, (byEvent = new Map()));
      }
      found = this.lookUp(namespace, event);
      byEvent.set(event, found);
      this.names++;
    }
    return found;
  }

  /** Forgets every lookup (a listener was added or removed). */
  invalidate(): void {
    if (this.names > 0) {
      this.byNamespace = new Map();
      this.names = 0;
    }
  }

  private lookUp(namespace: string, event: string): AmityListeners {
    const name = `${namespace}.${event}`;
    return { name, listeners: (this.emitter.listeners(name) as Listener[]).slice() };
  }
}
