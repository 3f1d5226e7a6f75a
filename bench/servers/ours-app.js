// Ours: a Nest app that uses AmityWebhookModule the way a host does (forRoot + listeners with
// @OnAmityEvent), configured by the environment so that one file serves every `ours*` contender:
//   BENCH_STRICT=1            strict mode (validation before the reply)
//   BENCH_LISTENERS=count     one cheap synchronous listener (throughput scenarios; default)
//   BENCH_LISTENERS=slow      a recorder that takes 2 s and notes each delivery id, and a flaky
//                             listener that takes 2 s and fails for 1 delivery in 10 (half throw
//                             at once, half reject after 2 s): failures and retries are part of the load
//   BENCH_CONCURRENCY=<n>     the module's concurrency
//   BENCH_REDIS_URL, BENCH_PREFIX, BENCH_SPOOL_DIR, BENCH_ROLE=all|receiver|worker
//   BENCH_MAX_LOOP_DELAY=<ms>|false  queue.maxEventLoopDelayMs (to measure what the worker throttle is worth)
//                             durable mode: `queue: { connection, prefix, spoolDir, worker }`,
//                             as the sample app's AMITY_WEBHOOK_ROLE splits the roles
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHistogram } from 'node:perf_hooks';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { BENCH_PATH, BENCH_SECRET, seqOf } from '../payload.js';
import { decorateClass, decorateMethod, paramTypes } from '../lib/decorate.js';
import { loadLibrary } from '../lib/library.js';

const { AmityWebhookModule, AmityWebhookDispatcher, AmityWebhookStats, OnAmityEvent, AMITY_WEBHOOK_HANDLER_FAILED_EVENT, AMITY_WEBHOOK_INVALID_EVENT } =
  await loadLibrary();

const SLOW_MS = 2000;
/** Set explicitly so that the bench can check the backlog against it. */
export const MAX_QUEUE_SIZE = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

class CountingListeners {
  recorded = new SeqCounter();
  invalid = 0;
  onMessage(event) {
    this.recorded.add(seqOf(event.data));
  }
  onInvalid() {
    this.invalid++;
  }
}
paramTypes(CountingListeners.prototype, 'onMessage', [Object]);
decorateMethod(CountingListeners.prototype, 'onMessage', OnAmityEvent('message.didCreate'));
paramTypes(CountingListeners.prototype, 'onInvalid', [Object]);
decorateMethod(CountingListeners.prototype, 'onInvalid', OnEvent(AMITY_WEBHOOK_INVALID_EVENT));
decorateClass(CountingListeners, Injectable());

class SlowListeners {
  recorded = new SeqCounter();
  invalid = 0;
  flakyCalls = 0;
  flakyThrown = 0;
  failureEvents = 0;
  inFlight = 0;
  peakInFlight = 0;

  async record(event) {
    this.recorded.add(seqOf(event.data));
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    try {
      await sleep(SLOW_MS);
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
  }

  onFailed() {
    this.failureEvents++;
  }

  onInvalid() {
    this.invalid++;
  }
}
for (const method of ['record', 'flaky']) {
  paramTypes(SlowListeners.prototype, method, [Object]);
  decorateMethod(SlowListeners.prototype, method, OnAmityEvent('message.didCreate'));
}
paramTypes(SlowListeners.prototype, 'onFailed', [Object]);
decorateMethod(SlowListeners.prototype, 'onFailed', OnEvent(AMITY_WEBHOOK_HANDLER_FAILED_EVENT));
paramTypes(SlowListeners.prototype, 'onInvalid', [Object]);
decorateMethod(SlowListeners.prototype, 'onInvalid', OnEvent(AMITY_WEBHOOK_INVALID_EVENT));
decorateClass(SlowListeners, Injectable());

/** The module's options for this contender, from the environment (see the top of this file). */
function moduleOptions(env) {
  const options = { secrets: BENCH_SECRET, path: BENCH_PATH, strict: env.BENCH_STRICT === '1', maxQueueSize: MAX_QUEUE_SIZE };
  if (env.BENCH_CONCURRENCY) options.concurrency = Number(env.BENCH_CONCURRENCY);
  if (env.BENCH_REDIS_URL) {
    const role = env.BENCH_ROLE ?? 'all';
    options.queue = {
      connection: env.BENCH_REDIS_URL,
      prefix: env.BENCH_PREFIX,
      spoolDir: env.BENCH_SPOOL_DIR,
      worker: role !== 'receiver',
    };
    if (env.BENCH_MAX_LOOP_DELAY) options.queue.maxEventLoopDelayMs = env.BENCH_MAX_LOOP_DELAY === 'false' ? false : Number(env.BENCH_MAX_LOOP_DELAY);
  }
  return options;
}

/** Starts the app on `port` and returns the harness hooks. */
export async function startOurs(port, env = process.env) {
  const Listeners = env.BENCH_LISTENERS === 'slow' ? SlowListeners : CountingListeners;
  const options = moduleOptions(env);

  class AppModule {}
  decorateClass(
    AppModule,
    Module({ imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot(options)], providers: [Listeners] }),
  );

  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  const dispatcher = app.get(AmityWebhookDispatcher);
  const stats = app.get(AmityWebhookStats);
  const listeners = app.get(Listeners);
  // The receiver's own time per accepted request (body start to answer written), through the
  // library's public observer: what of the ack latency the server spends, not the machine.
  const answered = createHistogram();
  stats.observe({
    requestAnswered(request) {
      if (request.status === 200) answered.record(Math.max(1, Math.round(request.durationSeconds * 1e6)));
    },
  });

  // The durable queue's backlog is a Redis round trip: polled here, not on every harness sample.
  let backlog = 0;
  const refresh = async () => {
    backlog = await dispatcher.backlog();
  };
  let poll;
  if (options.queue) poll = setInterval(() => void refresh().catch(() => {}), 500);

  const library = () => {
    const { accepted, duplicates, rejected, overflowed, dispatched, invalid, handlerFailures } = stats;
    return { accepted, duplicates, rejected, overflowed, dispatched, invalid, handlerFailures, maxQueueSize: options.queue ? undefined : MAX_QUEUE_SIZE };
  };
  return {
    port: app.getHttpServer().address().port,
    pending: () => (options.queue ? backlog : dispatcher.backlog()),
    drain: async () => {
      await dispatcher.onIdle();
      backlog = 0;
    },
    close: async () => {
      clearInterval(poll);
      await app.close();
    },
    reset: () => answered.reset(),
    counters: () => ({
      answeredMs: answered.count === 0 ? undefined : { p50: answered.percentile(50) / 1e3, p99: answered.percentile(99) / 1e3, max: answered.max / 1e3 },
      recordedUnique: listeners.recorded.unique,
      recordedRepeats: listeners.recorded.repeats,
      invalidEvents: listeners.invalid,
      ...(listeners instanceof SlowListeners
        ? {
            flakyCalls: listeners.flakyCalls,
            flakyThrown: listeners.flakyThrown,
            failureEvents: listeners.failureEvents,
            peakInFlight: listeners.peakInFlight,
          }
        : {}),
      library: library(),
    }),
    report: () => ({ counts: Buffer.from(listeners.recorded.counts.buffer, 0, listeners.recorded.counts.length).toString('base64') }),
  };
}
