import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** What the throttle adjusts: BullMQ's `Worker#concurrency` (a public setter). */
export interface AmityThrottledWorker {
  concurrency: number;
}

/** How often the event loop's delay is looked at. */
const WINDOW_MS = 50;
/** Resolution of the delay histogram. */
const RESOLUTION_MS = 10;
/** Share of the configured concurrency given back per calm window (additive increase). */
const RECOVERY_STEPS = 256;

/**
 * Keeps a worker that shares its process with the receiver from starving it. social.plus waits
 * 1.5 s for its answer and never retries, so receiving comes first. Every 50 ms it looks at two
 * signs of contention: how late the event loop ran, and how long storing a received delivery in
 * Redis took ({@link noteStore}). While either is over `maxDelayMs`, the worker's concurrency is
 * halved, so that it takes no new job until enough running ones finished; once both are under
 * half the bound, it grows back by 1/256 of the configured value per 50 ms (slower than the
 * seconds a running job may take, so that it does not swing back into the same overload). What
 * the worker does not take waits in Redis, where it is safe; the jobs that run are never
 * interrupted.
 */
export class AmityWorkerThrottle {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private readonly step: number;
  private storeMs = 0;
  private stores = 0;

  constructor(
    private readonly worker: AmityThrottledWorker,
    private readonly maxConcurrency: number,
    private readonly maxDelayMs: number,
  ) {
    this.step = Math.max(1, Math.ceil(maxConcurrency / RECOVERY_STEPS));
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.timer = setInterval(() => this.adjust(), WINDOW_MS);
    this.timer.unref();
  }

  /** Notes how long storing one received delivery took (the receiver's own measure of contention). */
  noteStore(ms: number): void {
    this.storeMs += ms;
    this.stores++;
  }

  /** Stops watching; the worker keeps its current concurrency. */
  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private adjust(): void {
    // The histogram counts the timer's own resolution into every sample: that part is not delay.
    const loopMs = this.histogram.count === 0 ? 0 : this.histogram.mean / 1e6 - RESOLUTION_MS;
    const storeMs = this.stores === 0 ? 0 : this.storeMs / this.stores;
    this.histogram.reset();
    this.storeMs = 0;
    this.stores = 0;
    const delayMs = Math.max(loopMs, storeMs);
    const current = this.worker.concurrency;
    if (delayMs > this.maxDelayMs) {
      this.worker.concurrency = Math.max(1, Math.floor(current / 2));
    } else if (delayMs < this.maxDelayMs / 2 && current < this.maxConcurrency) {
      this.worker.concurrency = Math.min(this.maxConcurrency, current + this.step);
    }
  }
}
