import type { Job, JobsOptions, Queue } from 'bullmq';
import type { AmityDeliveryProcessor } from '../amity-delivery.queue.js';
import type { AmityBullmqModule } from './amity-bullmq.loader.js';
import {
  AMITY_DELIVERY_JOB,
  AMITY_LISTENER_JOB,
  amityListenerJobId,
  fromAmityJobData,
  type AmityDeliveryJobData,
  type AmityListenerJobData,
  type AmityBullmqRetry,
} from './amity-bullmq.jobs.js';
import { amityErrorMessage } from '../../errors/amity-error.message.js';
import { AmityListenerTimeoutError } from '../../dispatch/amity-listener.invoker.js';
import type { AmityWorkerPacer } from './amity-worker.pacer.js';

export type { AmityBullmqRetry } from './amity-bullmq.jobs.js';

/**
 * Keep a little history of finished work for dashboards; deduplication does not need it (the
 * window is a key of its own), and failed jobs are kept: they are the dead letters.
 */
export const AMITY_KEEP_COMPLETED = { age: 3600, count: 1000 } as const;

/** Attempts and backoff of a delivery job, which fails only when Redis or `prepare` does (listeners' failures go to listener jobs). */
export const AMITY_DELIVERY_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: AMITY_KEEP_COMPLETED,
  removeOnFail: false,
};

/**
 * Options of one listener's job after its call from the delivery job failed. A retry job holds
 * its remaining attempts, the first after about `retryDelayMs`, then with exponential backoff and
 * up to half of each delay as jitter; a dead letter runs once, at once, only to reach the failed set.
 */
export function amityListenerJobOptions(deliveryJobId: string, listenerKey: string, retry: AmityBullmqRetry, deadLetter: boolean): JobsOptions {
  const jobId = amityListenerJobId(deliveryJobId, listenerKey);
  const kept = { removeOnComplete: AMITY_KEEP_COMPLETED, removeOnFail: false } as const;
  if (deadLetter) return { jobId, attempts: 1, ...kept };
  return {
    jobId,
    attempts: retry.retries,
    // The delivery job made attempt 1: the job's first run is attempt 2, after the first backoff.
    delay: jittered(retry.retryDelayMs),
    backoff: { type: 'exponential', delay: retry.retryDelayMs * 2, jitter: 0.5 },
    ...kept,
  };
}

/** `ms` less up to half of it, at random, as BullMQ's `jitter: 0.5` does for the later attempts. */
function jittered(ms: number): number {
  return Math.round(ms * (1 - Math.random() / 2));
}

/** A listener whose call from the delivery job failed, and why. */
interface AmityListenerFailure {
  readonly key: string;
  readonly error: unknown;
}


/**
 * The worker's job function.
 *
 * A delivery job prepares the event once and calls every listener once, in parallel (a hung
 * listener holds nothing but this job until `handlerTimeoutMs`). Only a listener that fails gets a
 * job of its own, `listener`, which holds its remaining attempts: BullMQ retries it alone with
 * exponential backoff, never calling again the listeners that succeeded, and after its last
 * attempt keeps it in the failed set (the dead letters). A listener that timed out, or fails
 * with `retries: 0`, gets a listener job that goes straight to the failed set without calling
 * it, from where it can be replayed. One job per delivery in the common case keeps a worker's
 * Redis traffic, and so its share of a process that also receives, small.
 *
 * A worker that dies in the middle of a delivery job leaves it to another worker, which calls
 * every listener of it again: delivery is at least once.
 *
 * The job's synchronous work (building the event and starting the listeners, then finishing)
 * runs in `pacer`'s slices, so that a burst of jobs does not hold up the requests of a process
 * that also receives.
 */
export function amityBullmqJobHandler(
  bullmq: AmityBullmqModule,
  queue: Queue,
  processor: AmityDeliveryProcessor,
  retry: AmityBullmqRetry,
  pacer: AmityWorkerPacer,
): (job: Job) => Promise<unknown> {
  return async (job) => {
    if (job.name === AMITY_DELIVERY_JOB) {
      const data = job.data as AmityDeliveryJobData;
      // Building the event and starting its listeners is one slice of work; finishing is another.
      const { prepared, calls } = await pacer.pace(() => {
        const built = processor.prepare(fromAmityJobData(data));
        return {
          prepared: built,
          calls: Promise.all(
            built.listeners.map((listener) =>
              processor.invoke(built, listener, 1, retry.retries > 0).then(
                () => undefined,
                (error: unknown): AmityListenerFailure => ({ key: listener.key, error }),
              ),
            ),
          ),
        };
      });
      const outcomes = await calls;
      const retryJobs = await pacer.pace(() => {
        processor.calledOnce(prepared);
        return outcomes
          .filter((outcome) => outcome !== undefined)
          .map(({ key, error }) => {
            const deadLetter = retry.retries === 0 || error instanceof AmityListenerTimeoutError ? amityErrorMessage(error) : undefined;
            return {
              name: AMITY_LISTENER_JOB,
              data: { ...data, event: prepared.name, listener: key, callsBefore: 1, ...(deadLetter === undefined ? {} : { deadLetter }) } satisfies AmityListenerJobData,
              opts: amityListenerJobOptions(job.id!, key, retry, deadLetter !== undefined),
            };
          });
      });
      // Plain adds: an `addBulk` pipeline stays in the heap until the next full collection.
      if (retryJobs.length > 0) await Promise.all(retryJobs.map(({ name, data: jobData, opts }) => queue.add(name, jobData, opts)));
      return { listeners: prepared.listeners.length, failed: retryJobs.length };
    }
    if (job.name === AMITY_LISTENER_JOB) {
      const data = job.data as AmityListenerJobData;
      if (data.deadLetter !== undefined) {
        // Not called again: the job only carries the failure into the failed set. Without the
        // mark, a replay of the job calls the listener, counting its attempts from 1.
        const { deadLetter, ...rest } = data;
        await job.updateData({ ...rest, callsBefore: 0 });
        throw new bullmq.UnrecoverableError(deadLetter);
      }
      // The payload is built again here rather than carried over: it holds class instances, and
      // the job may run in another process, or be replayed after a deploy.
      const { call } = await pacer.pace(() => {
        const prepared = processor.prepare(fromAmityJobData(data));
        const listener = prepared.listeners.find((candidate) => candidate.key === data.listener);
        if (!listener) {
          throw new bullmq.UnrecoverableError(
            `listener ${data.listener} of ${data.event} is not registered in this process (renamed or removed?): replay it once it is back`,
          );
        }
        const attempt = (data.callsBefore ?? 0) + job.attemptsMade + 1;
        return { call: processor.invoke(prepared, listener, attempt, job.attemptsMade + 1 < (job.opts.attempts ?? 1)) };
      });
      try {
        await call;
      } catch (error) {
        // As in memory, a listener that timed out is not called again: it may still be running.
        // Its job goes straight to the dead letters, from where it can be replayed.
        if (error instanceof AmityListenerTimeoutError) throw new bullmq.UnrecoverableError(amityErrorMessage(error));
        throw error;
      }
      return undefined;
    }
    throw new bullmq.UnrecoverableError(`unknown job name "${job.name}" in the nestjs-amity-webhook queue`);
  };
}
