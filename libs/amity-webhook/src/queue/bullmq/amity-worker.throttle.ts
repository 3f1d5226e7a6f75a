/** What the throttle adjusts: BullMQ's `Worker#concurrency` (a public setter). */
export interface AmityThrottledWorker {
  concurrency: number;
}

/** How often the event loop's delay is looked at. */
const WINDOW_MS = 50;
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
  private readonly timer: NodeJS.Timeout;
  private lastTick = performance.now();
  private readonly step: number;
  private storeMs = 0;
  private stores = 0;

  constructor(
    private readonly worker: AmityThrottledWorker,
    private readonly maxConcurrency: number,
    private readonly maxDelayMs: number,
  ) {
    this.step = Math.max(1, Math.ceil(maxConcurrency / RECOVERY_STEPS));
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
  }

  private adjust(): void {
    // How late this very timer ran: what a request arriving now waits for the loop. (A sampling
    // histogram such as monitorEventLoopDelay may hold no sample at all when the loop is saturated.)
    const now = performance.now();
    const loopMs = Math.max(0, now - this.lastTick - WINDOW_MS);
    this.lastTick = now;
    const storeMs = this.stores === 0 ? 0 : this.storeMs / this.stores;
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
