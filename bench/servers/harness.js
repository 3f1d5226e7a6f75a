// Child side of the bench: runs one contender, samples its memory, and answers the parent over IPC.
// Run a server file directly (`node bench/servers/ours.js`) to poke it by hand: it then listens on
// PORT (default 3000) and prints its address.

import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const SAMPLE_EVERY_MS = 50;
const LOOP_DELAY_RESOLUTION_MS = 5;

/** GC pauses since the last reset: what stalls every in-flight request at once. */
function gcRecorder() {
  let stats;
  const reset = () => {
    stats = { count: 0, totalMs: 0, maxMs: 0, major: 0, majorMaxMs: 0, liveAfterMajorMax: 0 };
  };
  reset();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      stats.count++;
      stats.totalMs += entry.duration;
      if (entry.duration > stats.maxMs) stats.maxMs = entry.duration;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        stats.major++;
        if (entry.duration > stats.majorMaxMs) stats.majorMaxMs = entry.duration;
        // Right after a full (mark-compact) GC, the heap in use is close to what is really live.
        const live = process.memoryUsage().heapUsed;
        if (live > stats.liveAfterMajorMax) stats.liveAfterMajorMax = live;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { reset, get: () => ({ ...stats }) };
}

/**
 * @param {string} name contender name, for messages
 * @param {() => Promise<{ port: number, close?: () => Promise<void>, pending?: () => number,
 *   drain?: () => Promise<void>, report?: () => object, counters?: () => object, reset?: () => void }>} start
 *   starts the server on `port` (0 = any free port) and returns its hooks
 */
export async function serve(name, start) {
  const port = process.send ? 0 : Number(process.env.PORT ?? 3000);
  const server = await start(port);
  const pending = server.pending ?? (() => 0);

  let peakRss = 0;
  let peakPending = 0;
  let cpuBase = process.cpuUsage();
  let timeBase = performance.now();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    const p = pending();
    if (p > peakPending) peakPending = p;
  };
  sample();
  setInterval(sample, SAMPLE_EVERY_MS).unref();
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  const gc = gcRecorder();

  const snapshot = () => {
    sample();
    const cpu = process.cpuUsage(cpuBase);
    const memory = process.memoryUsage();
    return {
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      peakRss,
      // Lifetime peak from the kernel (KiB), boot included: a cross-check of the sampled peak.
      maxRss: process.resourceUsage().maxRSS * 1024,
      pending: pending(),
      peakPending,
      cpuMs: (cpu.user + cpu.system) / 1000,
      elapsedMs: performance.now() - timeBase,
      counters: server.counters?.() ?? {},
      // The histogram records whole timer intervals: subtract the resolution to get the delay.
      eventLoopDelayMs: {
        p50: Math.max(0, loopDelay.percentile(50) / 1e6 - LOOP_DELAY_RESOLUTION_MS),
        p99: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS),
        max: Math.max(0, loopDelay.max / 1e6 - LOOP_DELAY_RESOLUTION_MS),
      },
      gc: gc.get(),
    };
  };

  const commands = {
    /** Starts a measurement window; `keepPeaks` keeps the RSS and backlog peaks seen so far. */
    reset({ keepPeaks = false } = {}) {
      if (!keepPeaks) {
        peakRss = 0;
        peakPending = 0;
      }
      cpuBase = process.cpuUsage();
      timeBase = performance.now();
      loopDelay.reset();
      gc.reset();
      server.reset?.();
      sample();
      return snapshot();
    },
    stats: snapshot,
    async drain({ timeoutMs = 30_000 } = {}) {
      const started = performance.now();
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs, true);
      });
      const late = await Promise.race([(server.drain?.() ?? Promise.resolve()).then(() => false), timedOut]);
      clearTimeout(timer);
      return { drainMs: performance.now() - started, timedOut: late, pending: pending() };
    },
    gc() {
      globalThis.gc?.();
      return snapshot();
    },
    report: () => server.report?.() ?? {},
    exit() {
      // Through the server's own close first (the durable queue closes its Redis connections),
      // then process.exit (not a kill) so that a --cpu-prof run writes its profile.
      Promise.resolve(server.close?.())
        .catch(() => {})
        .finally(() => setImmediate(() => process.exit(0)));
      return true;
    },
  };

  if (!process.send) {
    console.log(`${name} listening on http://127.0.0.1:${server.port}`);
    return;
  }
  process.on('message', async (message) => {
    const { id, cmd, args } = message ?? {};
    try {
      const command = commands[cmd];
      if (!command) throw new Error(`unknown command ${cmd}`);
      process.send({ id, ok: true, result: await command(args) });
    } catch (error) {
      process.send({ id, ok: false, error: error instanceof Error ? error.stack : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, name, port: server.port, pid: process.pid, node: process.version });
}
