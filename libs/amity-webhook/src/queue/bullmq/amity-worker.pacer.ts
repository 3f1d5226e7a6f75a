/**
 * Spreads a worker's synchronous work over turns of the event loop, so that a process that also
 * receives reads its requests between slices of it.
 *
 * BullMQ hands a worker its jobs in bursts: one socket read from Redis can carry hundreds of
 * fetched jobs, and listeners that started together (say 2 s timers) finish together. Their
 * work (building the event, starting the listeners, finishing the job) would then run as one
 * long stretch of microtasks in which no request is read; the concurrency throttle only takes
 * fewer jobs afterwards. Paced work runs in the check phase (`setImmediate`), at most about
 * `sliceMs` of it per turn of the loop, counting what ran right after each piece (the job's own
 * continuation, BullMQ's completion of it). The rest waits for the next turn, after the loop
 * polled for I/O. At least one piece runs per turn, so the worker never stops.
 *
 * Inactive until {@link activate}: a worker-only process does not wait for turns.
 */
export class AmityWorkerPacer {
  private active = false;
  private turnStartedAt = 0;
  private ranThisTurn = false;
  /** Whether the mark that starts the next turn's slice is scheduled and has not run yet. */
  private markScheduled = false;
  private readonly startTurn = (): void => {
    this.markScheduled = false;
    this.ranThisTurn = false;
    this.beforeSlice();
    this.turnStartedAt = performance.now();
  };

  /**
   * @param sliceMs about how long paced work may run per turn of the event loop (the first piece of a turn always runs).
   * @param beforeSlice runs at the start of each turn that has paced work, before it: what must not
   *   wait behind the worker (the receiver's stores of the requests read in this turn). Must not throw.
   */
  constructor(
    private readonly sliceMs: number,
    private readonly beforeSlice: () => void = () => undefined,
  ) {}

  /** From now on, work waits for its slice (once this process receives as well as works). */
  activate(): void {
    this.active = true;
  }

  /**
   * Runs `work` in a slice of a later turn of the event loop (at once while inactive), and
   * settles with its result or error. Work is run in the order it was paced.
   */
  pace<T>(work: () => T): Promise<Awaited<T>> {
    if (!this.active) {
      try {
        return Promise.resolve(work() as Awaited<T>);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      const run = (): void => {
        if (this.ranThisTurn && performance.now() - this.turnStartedAt >= this.sliceMs) {
          this.schedule(run);
          return;
        }
        this.ranThisTurn = true;
        try {
          resolve(work() as Awaited<T>);
        } catch (error) {
          reject(error);
        }
      };
      this.schedule(run);
    });
  }

  /**
   * Immediates run in the order they were set, and those set during a check phase wait for the
   * next turn: a mark set before the first piece of a turn starts that turn's clock.
   */
  private schedule(run: () => void): void {
    if (!this.markScheduled) {
      this.markScheduled = true;
      setImmediate(this.startTurn);
    }
    setImmediate(run);
  }
}
