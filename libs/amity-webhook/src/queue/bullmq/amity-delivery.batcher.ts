import type { JobsOptions, Queue } from 'bullmq';
import type { AmityEnqueueOutcome } from '../amity-delivery.queue.js';
import { amityWithin } from '../../errors/amity-no-answer.error.js';
import { AMITY_DELIVERY_JOB, type AmityDeliveryJobData } from './amity-bullmq.jobs.js';
import { addAmityJobs } from './amity-bullmq.adder.js';

/** Deliveries stored in one `addBulk` at most; more that arrive in the same turn go in the next. */
const MAX_BATCH = 256;

/** One delivery job waiting for its batch, with its caller's promise. */
interface AmityPendingAdd {
  readonly data: AmityDeliveryJobData;
  readonly opts: JobsOptions & { readonly jobId: string };
  readonly resolve: (outcome: AmityEnqueueOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for delivery jobs: the adds requested in one turn of the event loop go to Redis in
 * one BullMQ `addBulk` (one pipeline, one write; a batch of a few, plain `add`s: {@link addAmityJobs}), sent as soon as the turn's I/O is handled, and
 * each caller learns its own outcome once Redis answered for the batch. Storing many requests that
 * arrive together this way costs far fewer socket writes than one command each, and unlike
 * ioredis' auto-pipelining it never holds a batch back while the previous one is in flight.
 *
 * A batch that fails or is not answered within `timeoutMs` rejects every delivery in it; the
 * queue then spools them, and deduplication makes a batch that landed late count once.
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

  private send(): void {
    const batch = this.flush();
    this.inFlight.add(batch);
    void batch.finally(() => this.inFlight.delete(batch));
  }

  /** Sends what is pending (taken at once, before the first await) and settles each caller. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const started = performance.now();
    let jobs: readonly { id?: string }[];
    try {
      jobs = await amityWithin(addAmityJobs(this.queue, batch.map(({ data, opts }) => ({ name: AMITY_DELIVERY_JOB, data, opts }))), this.timeoutMs);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.onStored(performance.now() - started);
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(jobs[i]?.id === batch[i]!.opts.jobId ? 'accepted' : 'duplicate');
  }
}
