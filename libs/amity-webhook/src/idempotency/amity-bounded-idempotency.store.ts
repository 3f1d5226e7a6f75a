import type { AmityIdempotencyStore } from './amity-idempotency.store.js';
import { AmityMemoryIdempotencyStore } from './amity-memory-idempotency.store.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/**
 * Default time a claim waits for the wrapped store, in milliseconds. Well inside the 1.5 s in
 * which social.plus expects an answer, with room for the rest of the request; a healthy Redis on
 * the same network answers in about a millisecond.
 * @default 200
 */
export const AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS = 200;

/** A store that answers at once: what the fallback must be, so that it cannot hang in turn. */
export interface AmitySyncIdempotencyStore {
  claim(key: string, ttlMs: number): boolean;
}

/** Options of {@link AmityBoundedIdempotencyStore}. */
export interface AmityBoundedIdempotencyOptions {
  /**
   * How long a claim waits for the wrapped store before it is answered by the fallback.
   * @default AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS (200)
   */
  readonly timeoutMs?: number;
  /**
   * Answers claims while the wrapped store is unavailable, and remembers every key the wrapped
   * store answered for, so that a redelivery to this instance is still recognised during an outage.
   * @default new AmityMemoryIdempotencyStore()
   */
  readonly fallback?: AmitySyncIdempotencyStore;
  /** Writes the one WARN of an outage, when it starts, e.g. `(message) => logger.warn(message)`. */
  readonly warn: (message: string) => void;
  /**
   * Writes the end of an outage, with how many claims the fallback answered.
   * @default the `warn` function
   */
  readonly log?: (message: string) => void;
}

/** Longest error text quoted in the outage WARN. */
const MAX_ERROR_CHARS = 200;

/**
 * Bounds the claims of another store (typically {@link AmityRedisIdempotencyStore}) in time: a
 * claim that throws, rejects or does not settle within `timeoutMs` is answered by a local
 * fallback (this process's memory), so a sick Redis costs a request at most `timeoutMs`.
 *
 * During an outage one claim at a time still goes to the wrapped store, as a probe; the others
 * are answered by the fallback at once, so hung calls do not pile up. The first claim the
 * wrapped store answers in time ends the outage. Each outage writes one WARN when it starts and
 * one line with the count of fallback answers when it ends. While it lasts, instances no longer
 * share their window: each dispatches the deliveries it receives, at most once per instance.
 *
 * The answer for a key the fallback already holds is a duplicate even when the wrapped store
 * says otherwise (after an outage, Redis does not know the keys claimed meanwhile).
 *
 * Give the Redis client options that fail fast rather than queue, e.g. ioredis
 * `{ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 }`: the timeout
 * here answers the request either way, but a client that queues keeps every abandoned command.
 *
 * @example
 * const store = new AmityBoundedIdempotencyStore(new AmityRedisIdempotencyStore(redis), {
 *   warn: (message) => logger.warn(message),
 * });
 */
export class AmityBoundedIdempotencyStore implements AmityIdempotencyStore {
  private readonly timeoutMs: number;
  private readonly fallback: AmitySyncIdempotencyStore;
  private readonly log: (message: string) => void;
  private pending = 0;
  /** When the current outage started, or `undefined` while the wrapped store answers. */
  private outageSince: number | undefined;
  private fallbackAnswers = 0;
  private probing = false;

  constructor(
    private readonly inner: AmityIdempotencyStore,
    private readonly options: AmityBoundedIdempotencyOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS;
    this.fallback = options.fallback ?? new AmityMemoryIdempotencyStore();
    this.log = options.log ?? options.warn;
  }

  /** Claims waiting for the wrapped store now; count them against the receiver's `maxQueueSize`. */
  get inFlight(): number {
    return this.pending;
  }

  /** Whether claims are being answered by the fallback (an outage is going on). */
  get degraded(): boolean {
    return this.outageSince !== undefined;
  }

  claim(key: string, ttlMs: number): boolean | Promise<boolean> {
    if (this.outageSince !== undefined && this.probing) return this.answerLocally(key, ttlMs);
    let answer: boolean | Promise<boolean>;
    try {
      answer = this.inner.claim(key, ttlMs);
    } catch (error) {
      return this.unavailable(key, ttlMs, describe(error));
    }
    if (typeof answer === 'boolean') return this.answered(answer, key, ttlMs);
    return this.bounded(answer, key, ttlMs);
  }

  private async bounded(answer: Promise<boolean>, key: string, ttlMs: number): Promise<boolean> {
    const probe = this.outageSince !== undefined;
    if (probe) this.probing = true;
    this.pending++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const result = await Promise.race([answer, timeout]);
      if (result === 'timeout') return this.unavailable(key, ttlMs, `did not answer within ${this.timeoutMs} ms`);
      return this.answered(result, key, ttlMs);
    } catch (error) {
      return this.unavailable(key, ttlMs, describe(error));
    } finally {
      clearTimeout(timer);
      this.pending--;
      if (probe) this.probing = false;
    }
  }

  /** The wrapped store answered in time: the outage, if any, is over. */
  private answered(claimed: boolean, key: string, ttlMs: number): boolean {
    if (this.outageSince !== undefined) {
      const seconds = ((Date.now() - this.outageSince) / 1000).toFixed(1);
      this.log(
        `Idempotency store answers again after ${seconds} s; ${this.fallbackAnswers} claims were answered from this process's memory meanwhile`,
      );
      this.outageSince = undefined;
      this.fallbackAnswers = 0;
    }
    // Always recorded locally, so the fallback knows this key if the wrapped store fails later.
    const claimedLocally = this.fallback.claim(key, ttlMs);
    return claimed && claimedLocally;
  }

  private unavailable(key: string, ttlMs: number, why: string): boolean {
    if (this.outageSince === undefined) {
      this.outageSince = Date.now();
      this.options.warn(
        `Idempotency store ${why}; claims are answered from this process's memory until it answers again (instances no longer share their window)`,
      );
    }
    return this.answerLocally(key, ttlMs);
  }

  private answerLocally(key: string, ttlMs: number): boolean {
    this.fallbackAnswers++;
    return this.fallback.claim(key, ttlMs);
  }
}

function describe(error: unknown): string {
  const text = amityErrorMessage(error);
  return `failed: ${text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text}`;
}
