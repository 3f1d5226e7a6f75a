import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '../../test/support/redis-server.js';
import { AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS, AmityBoundedIdempotencyStore } from './amity-bounded-idempotency.store.js';
import type { AmityIdempotencyStore } from './amity-idempotency.store.js';
import { AmityMemoryIdempotencyStore } from './amity-memory-idempotency.store.js';
import { AmityRedisIdempotencyStore } from './amity-redis-idempotency.store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A wrapped store whose behaviour the test switches: answer, hang or fail. */
class ScriptedStore implements AmityIdempotencyStore {
  mode: 'answer' | 'hang' | 'reject' | 'throw' = 'answer';
  calls = 0;
  private readonly claimed = new Set<string>();
  claim(key: string): Promise<boolean> {
    this.calls++;
    if (this.mode === 'throw') throw new Error('client closed');
    if (this.mode === 'hang') return new Promise(() => undefined);
    if (this.mode === 'reject') return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:1'));
    const first = !this.claimed.has(key);
    this.claimed.add(key);
    return Promise.resolve(first);
  }
}

function bounded(inner: AmityIdempotencyStore, timeoutMs = 30) {
  const warnings: string[] = [];
  const logs: string[] = [];
  const store = new AmityBoundedIdempotencyStore(inner, { timeoutMs, warn: (m) => warnings.push(m), log: (m) => logs.push(m) });
  return { store, warnings, logs };
}

describe('AmityBoundedIdempotencyStore', () => {
  it('answers a claim well inside the 1.5 s budget by default', () => {
    expect(AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS).toBe(200);
  });

  it('passes answers of a healthy store through, and counts the claims waiting on it', async () => {
    const inner = new ScriptedStore();
    const { store, warnings } = bounded(inner);
    const claims = [store.claim('a', 1_000), store.claim('b', 1_000), store.claim('c', 1_000)];
    expect(store.inFlight).toBe(3);
    expect(await Promise.all(claims)).toEqual([true, true, true]);
    expect(store.inFlight).toBe(0);
    expect(await store.claim('a', 1_000)).toBe(false);
    expect(warnings).toEqual([]);
    // A synchronous store is answered synchronously.
    const sync = new AmityBoundedIdempotencyStore(new AmityMemoryIdempotencyStore(), { warn: () => undefined });
    expect(sync.claim('x', 1_000)).toBe(true);
    expect(sync.claim('x', 1_000)).toBe(false);
  });

  it('answers from memory when the store hangs, within the timeout, with one WARN, and probes one claim at a time', async () => {
    const inner = new ScriptedStore();
    const { store, warnings, logs } = bounded(inner, 30);
    expect(await store.claim('seen-before', 60_000)).toBe(true);
    inner.mode = 'hang';
    const started = performance.now();
    const first = await store.claim('k1', 60_000);
    expect(performance.now() - started).toBeLessThan(200);
    expect(first).toBe(true);
    expect(store.degraded).toBe(true);
    expect(warnings).toEqual([
      "Idempotency store did not answer within 30 ms; claims are answered from this process's memory until it answers again (instances no longer share their window)",
    ]);

    // A probe is out: the other claims are answered at once, from memory, without touching the store.
    const callsBefore = inner.calls;
    const probe = store.claim('k2', 60_000);
    expect(probe).toBeInstanceOf(Promise);
    expect(store.inFlight).toBe(1);
    expect(store.claim('k3', 60_000)).toBe(true);
    expect(store.claim('k3', 60_000)).toBe(false);
    // A key the store answered for before the outage is still known.
    expect(store.claim('seen-before', 60_000)).toBe(false);
    expect(inner.calls).toBe(callsBefore + 1);
    expect(await probe).toBe(true);
    expect(store.inFlight).toBe(0);
    expect(warnings).toHaveLength(1);

    inner.mode = 'answer';
    expect(await store.claim('k4', 60_000)).toBe(true);
    expect(store.degraded).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^Idempotency store answers again after \d+\.\d s; 5 claims were answered from this process's memory meanwhile$/);
  });

  it('falls back when the store rejects or throws, naming the error once', async () => {
    const inner = new ScriptedStore();
    const { store, warnings, logs } = bounded(inner);
    inner.mode = 'reject';
    expect(await store.claim('a', 1_000)).toBe(true);
    expect(await store.claim('a', 1_000)).toBe(false);
    inner.mode = 'throw';
    expect(store.claim('b', 1_000)).toBe(true);
    expect(warnings).toEqual([
      "Idempotency store failed: ECONNREFUSED 127.0.0.1:1; claims are answered from this process's memory until it answers again (instances no longer share their window)",
    ]);
    inner.mode = 'answer';
    expect(await store.claim('c', 1_000)).toBe(true);
    expect(logs[0]).toMatch(/; 3 claims were answered/);
  });

  it('treats a key claimed in memory during an outage as a duplicate once the store is back', async () => {
    const inner = new ScriptedStore();
    const { store } = bounded(inner);
    inner.mode = 'reject';
    expect(await store.claim('during-outage', 60_000)).toBe(true);
    inner.mode = 'answer';
    // The store never saw it and says "first"; this instance already dispatched it.
    expect(await store.claim('during-outage', 60_000)).toBe(false);
  });
});

describe('AmityBoundedIdempotencyStore over a real redis-server that freezes and dies', () => {
  let server: RedisServerHandle;
  const clients: Redis[] = [];
  const prefix = `amity-webhook-test:${randomUUID()}:`;

  /** A client configured as the JSDoc advises: fail fast, never queue. */
  function client(): Redis {
    const redis = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 500,
      retryStrategy: () => 100,
      disconnectTimeout: 0,
    });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  }
  async function ready(redis: Redis): Promise<void> {
    while (redis.status !== 'ready') await sleep(10);
  }

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(() => server.resume());
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await server.stop();
  });

  it('shares the window between two instances while Redis answers', async () => {
    const [a, b] = [client(), client()];
    await Promise.all([ready(a), ready(b)]);
    const first = bounded(new AmityRedisIdempotencyStore(a, prefix), 200);
    const second = bounded(new AmityRedisIdempotencyStore(b, prefix), 200);
    const answers = await Promise.all([first.store.claim('d-1', 60_000), second.store.claim('d-1', 60_000)]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect([...first.warnings, ...second.warnings]).toEqual([]);
  });

  it('answers every claim within the budget while Redis is frozen (SIGSTOP), with one WARN, and recovers', async () => {
    const redis = client();
    await ready(redis);
    const { store, warnings, logs } = bounded(new AmityRedisIdempotencyStore(redis, prefix), AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS);
    server.pause();
    const latencies: number[] = [];
    const answers: boolean[] = [];
    let mostInFlight = 0;
    let mostInFlightLater = 0;
    // 1,000 claims over one second, each key sent twice (a redelivery).
    await Promise.all(
      Array.from({ length: 1_000 }, async (_, i) => {
        await sleep(i);
        const started = performance.now();
        const pending = store.claim(`frozen-${i >> 1}`, 60_000);
        mostInFlight = Math.max(mostInFlight, store.inFlight);
        if (i >= 500) mostInFlightLater = Math.max(mostInFlightLater, store.inFlight);
        answers.push(await pending);
        latencies.push(performance.now() - started);
      }),
    );
    expect(Math.max(...latencies)).toBeLessThan(AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS + 300);
    expect(answers.filter(Boolean)).toHaveLength(500);
    // Claims sent before the first timeout all wait (about 200 at this rate, which is what the
    // receiver counts against maxQueueSize); once the outage is known, only the probe does.
    expect(mostInFlight).toBeGreaterThan(100);
    expect(mostInFlight).toBeLessThanOrEqual(300);
    expect(mostInFlightLater).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^Idempotency store did not answer within 200 ms;/)]);
    expect(logs).toEqual([]);

    server.resume();
    // The probe that finds Redis again ends the outage.
    while (store.degraded) {
      await store.claim(`after-${randomUUID()}`, 60_000);
    }
    expect(logs).toEqual([expect.stringMatching(/^Idempotency store answers again after \d+\.\d s; \d+ claims were answered/)]);
    expect(Number(/; (\d+) claims/.exec(logs[0]!)![1])).toBeGreaterThanOrEqual(1_000);
    expect(await store.claim('healthy-again', 60_000)).toBe(true);
    expect(await redis.pttl(`${prefix}healthy-again`)).toBeGreaterThan(59_000);
    expect(warnings).toHaveLength(1);
  }, 15_000);

  it('answers at once from memory when Redis is dead (SIGKILL), with one WARN, and the test process still exits', async () => {
    const redis = client();
    await ready(redis);
    const { store, warnings } = bounded(new AmityRedisIdempotencyStore(redis, prefix), AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS);
    await server.kill();
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      expect(await store.claim(`dead-${i}`, 60_000)).toBe(true);
      expect(await store.claim(`dead-${i}`, 60_000)).toBe(false);
      latencies.push(performance.now() - started);
    }
    expect(Math.max(...latencies)).toBeLessThan(AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS * 2 + 100);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Idempotency store (failed: |did not answer)/);
    expect(store.inFlight).toBe(0);
    await server.restart();
  }, 15_000);
});
