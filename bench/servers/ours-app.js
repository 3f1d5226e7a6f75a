// Ours: a Nest app that uses AmityWebhookModule the way a host does (forRoot + a listener with
// @OnAmityEvent). Two listener sets:
//   - 'count' (scenario 1): one cheap synchronous listener;
//   - 'slow' (scenario 2): a recorder that takes 2 s and notes each delivery id, and a flaky
//     listener that also takes 2 s and fails for 1 delivery in 10 (half throw at once, half reject
//     after 2 s), so failures, retries and logging are part of the load.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { BENCH_PATH, BENCH_SECRET, seqOf } from '../payload.js';
import { decorateClass, decorateMethod, paramTypes } from '../lib/decorate.js';
import { loadLibrary } from '../lib/library.js';

const lib = await loadLibrary();
const { AmityWebhookModule, AmityWebhookDispatcher, OnAmityEvent } = lib;
// Present in newer builds only; the bench works without it.
const HANDLER_FAILED = lib.AMITY_WEBHOOK_HANDLER_FAILED_EVENT;

const SLOW_MS = 2000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class CountingListener {
  count = 0;
  onMessage() {
    this.count++;
  }
}
paramTypes(CountingListener.prototype, 'onMessage', [Object]);
decorateMethod(CountingListener.prototype, 'onMessage', OnAmityEvent('message.didCreate'));
decorateClass(CountingListener, Injectable());

/** Per-id call counts in a growable byte array (ids are dense sequence numbers). */
class SeqCounter {
  counts = new Uint8Array(1 << 16);
  unique = 0;
  repeats = 0;
  unknown = 0;
  add(seq) {
    if (seq === undefined || seq < 0) {
      this.unknown++;
      return;
    }
    if (seq >= this.counts.length) {
      const grown = new Uint8Array(Math.max(seq + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    const before = this.counts[seq];
    if (before === 0) this.unique++;
    else this.repeats++;
    if (before < 255) this.counts[seq] = before + 1;
  }
}

class SlowListeners {
  recorded = new SeqCounter();
  recordFinished = 0;
  flakyCalls = 0;
  flakyThrown = 0;
  flakyFinished = 0;
  failureEvents = 0;
  inFlight = 0;
  peakInFlight = 0;

  async record(event) {
    this.recorded.add(seqOf(event.data));
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    try {
      await sleep(SLOW_MS);
      this.recordFinished++;
    } finally {
      this.inFlight--;
    }
  }

  async flaky(event) {
    const seq = seqOf(event.data) ?? 0;
    this.flakyCalls++;
    if (seq % 10 === 3) {
      this.flakyThrown++;
      throw new Error(`bench: listener failure for #${seq} (immediate)`);
    }
    await sleep(SLOW_MS);
    if (seq % 10 === 7) {
      this.flakyThrown++;
      throw new Error(`bench: listener failure for #${seq} (after ${SLOW_MS} ms)`);
    }
    this.flakyFinished++;
  }

  onFailed() {
    this.failureEvents++;
  }
}
paramTypes(SlowListeners.prototype, 'record', [Object]);
decorateMethod(SlowListeners.prototype, 'record', OnAmityEvent('message.didCreate'));
paramTypes(SlowListeners.prototype, 'flaky', [Object]);
decorateMethod(SlowListeners.prototype, 'flaky', OnAmityEvent('message.didCreate'));
if (HANDLER_FAILED) {
  paramTypes(SlowListeners.prototype, 'onFailed', [Object]);
  decorateMethod(SlowListeners.prototype, 'onFailed', OnEvent(HANDLER_FAILED));
}
decorateClass(SlowListeners, Injectable());

/**
 * Starts the app on `port`.
 * @param {{ strict?: boolean, concurrency?: number, listeners?: 'count' | 'slow', fastLane?: boolean }} config
 */
export async function startOurs(port, { strict = false, concurrency, listeners = 'count', fastLane } = {}) {
  const Listener = listeners === 'slow' ? SlowListeners : CountingListener;
  const options = { secrets: BENCH_SECRET, path: BENCH_PATH, strict };
  if (fastLane !== undefined) options.fastLane = fastLane;
  // Diagnostic contenders only (ours-noidem): BENCH_IDEMPOTENCY=off.
  if (process.env.BENCH_IDEMPOTENCY === 'off') options.idempotency = false;
  if (concurrency !== undefined) options.concurrency = concurrency;

  class AppModule {}
  decorateClass(
    AppModule,
    Module({ imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot(options)], providers: [Listener] }),
  );

  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen(port, '127.0.0.1');
  const dispatcher = app.get(AmityWebhookDispatcher);
  const listener = app.get(Listener);

  // `stats` and the resolved options are read when the build has them (newer builds only).
  const maxQueueSize = dispatcher.options?.maxQueueSize;
  const libraryStats = () => (dispatcher.stats ? { ...dispatcher.stats, maxQueueSize } : { maxQueueSize });
  return {
    port: app.getHttpServer().address().port,
    pending: () => dispatcher.pending,
    drain: () => dispatcher.onIdle(),
    counters: () =>
      listener instanceof SlowListeners
        ? {
            recordedUnique: listener.recorded.unique,
            recordedRepeats: listener.recorded.repeats,
            recordFinished: listener.recordFinished,
            flakyCalls: listener.flakyCalls,
            flakyThrown: listener.flakyThrown,
            failureEvents: listener.failureEvents,
            peakInFlight: listener.peakInFlight,
            library: libraryStats(),
          }
        : { dispatched: listener.count, library: libraryStats() },
    report: () =>
      listener instanceof SlowListeners
        ? { counts: Buffer.from(listener.recorded.counts.buffer, 0, listener.recorded.counts.length).toString('base64'), unknown: listener.recorded.unknown }
        : {},
  };
}
