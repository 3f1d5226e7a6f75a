import type { JobsOptions, Queue } from 'bullmq';
import type { AmityEnqueueOutcome } from '../amity-delivery.queue.js';
import { amityWithin } from '../../errors/amity-no-answer.error.js';
import { AMITY_DELIVERY_JOB, type AmityDeliveryJobData } from './amity-bullmq.jobs.js';

/** Adds sent together at most; more that arrive in the same turn go in the next batch. */
const MAX_BATCH = 256;

/** One delivery job waiting for its batch, with its caller's promise. */
interface AmityPendingAdd {
  readonly data: AmityDeliveryJobData;
  readonly opts: JobsOptions & { readonly jobId: string };
  readonly resolve: (outcome: AmityEnqueueOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends the delivery jobs requested in one turn of the event loop together, as soon as the turn's
 * I/O is handled: one plain BullMQ `add` each, written back to back, and each caller learns its
 * own outcome as soon as Redis answered for its job. It never holds a batch back while an earlier
 * one is in flight.
 *
 * Plain adds rather than one `addBulk`: an ioredis pipeline (what `addBulk` and auto-pipelining
 * use) is kept by the collector, with every command and reply it holds, until the next full
 * collection, and a receiver storing thousands of deliveries a second then spends its time
 * promoting them (`bench/ioredis-pipeline.js`). Sending at the end of the turn rather than from
 * each request measured faster still: the writes go out together, after the turn's requests were read.
 *
 * One timer per batch: every delivery of the batch still unanswered after `timeoutMs` is rejected
 * (the queue then spools it, and deduplication makes an add that landed late count once); an add
 * that Redis refuses rejects its own delivery only.
 */
export class AmityDeliveryBatcher {
  private pending: AmityPendingAdd[] = [];
  private scheduled = false;
  /** Batches sent and not yet answered (or timed out). */
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * @param onStored called with how long each answered batch took (the worker throttle's measure of contention).
   */
  constructor(
    private readonly queue: Queue,
    private readonly timeoutMs: number,
    private readonly onStored: (ms: number) => void = () => undefined,
  ) {}

  /** Adds one delivery job with the next batch; `duplicate` when Redis answers with another job's id. */
  add(data: AmityDeliveryJobData, opts: JobsOptions & { readonly jobId: string }): Promise<AmityEnqueueOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ data, opts, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.send();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  /** Sends what is pending now, and resolves once every batch sent so far was answered or timed out. */
  async settled(): Promise<void> {
    this.send();
    await Promise.all(this.inFlight);
  }

  /** Sends what is pending now instead of at the end of the turn (the worker's pacer calls it before each slice of worker work). */
  send(): void {
    // The pacer calls this every turn it has work; most of those turns have nothing to send.
    if (this.pending.length === 0) return;
    const batch = this.flush();
    this.inFlight.add(batch);
    void batch.finally(() => this.inFlight.delete(batch));
  }

  /** Sends what is pending (taken at once, before the first await) and settles each caller. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const started = performance.now();
    const adds = batch.map(({ data, opts, resolve, reject }) =>
      this.queue.add(AMITY_DELIVERY_JOB, data, opts).then((job) => resolve(job.id === opts.jobId ? 'accepted' : 'duplicate'), reject),
    );
    try {
      await amityWithin(Promise.all(adds), this.timeoutMs);
    } catch (error) {
      // Callers already answered keep their outcome: a promise settles once.
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.onStored(performance.now() - started);
  }
}
