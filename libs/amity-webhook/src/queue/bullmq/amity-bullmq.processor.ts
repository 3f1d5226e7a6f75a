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

export type { AmityBullmqRetry } from './amity-bullmq.jobs.js';


/**
 * Keep a little history of finished work for dashboards; deduplication does not need it (the
 * window is a key of its own), and failed jobs are kept: they are the dead letters.
 */
export const AMITY_KEEP_COMPLETED = { age: 3600, count: 1000 } as const;

/** Attempts and backoff of a delivery's fan-out, which fails only when Redis or `prepare` does. */
export const AMITY_DELIVERY_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: AMITY_KEEP_COMPLETED,
  removeOnFail: false,
};

/** Options of one listener's job: retried alone, with exponential backoff and half of it as jitter. */
export function amityListenerJobOptions(deliveryJobId: string, listenerKey: string, retry: AmityBullmqRetry): JobsOptions {
  return {
    jobId: amityListenerJobId(deliveryJobId, listenerKey),
    attempts: retry.retries + 1,
    backoff: { type: 'exponential', delay: retry.retryDelayMs, jitter: 0.5 },
    removeOnComplete: AMITY_KEEP_COMPLETED,
    removeOnFail: false,
  };
}

/**
 * The worker's job function. A delivery job prepares the event once and adds one job per
 * listener (ids fixed per delivery job, so a second fan-out after a crash adds only what is
 * missing); a listener job calls its listener once through the module's processor and throws
 * its error, so BullMQ retries that listener alone and, after the last attempt, keeps the job in
 * the failed set. The parent does not wait for its children (no BullMQ flow): nothing happens
 * after all listeners are done, so a waiting parent would only add state to keep consistent
 * when a dead-lettered child is replayed days later.
 */
export function amityBullmqJobHandler(
  bullmq: AmityBullmqModule,
  queue: Queue,
  processor: AmityDeliveryProcessor,
  retry: AmityBullmqRetry,
): (job: Job) => Promise<unknown> {
  return async (job) => {
    if (job.name === AMITY_DELIVERY_JOB) {
      const data = job.data as AmityDeliveryJobData;
      const prepared = processor.prepare(fromAmityJobData(data));
      if (prepared.listeners.length === 0) {
        processor.fannedOut(prepared);
        return { listeners: 0 };
      }
      const jobId = job.id!;
      await queue.addBulk(
        prepared.listeners.map((listener) => ({
          name: AMITY_LISTENER_JOB,
          data: { ...data, event: prepared.name, listener: listener.key } satisfies AmityListenerJobData,
          opts: amityListenerJobOptions(jobId, listener.key, retry),
        })),
      );
      processor.fannedOut(prepared);
      return { listeners: prepared.listeners.length };
    }
    if (job.name === AMITY_LISTENER_JOB) {
      const data = job.data as AmityListenerJobData;
      // The payload is built again here rather than carried over: it holds class instances, and
      // the job may run in another process, or be replayed after a deploy.
      const prepared = processor.prepare(fromAmityJobData(data));
      const listener = prepared.listeners.find((candidate) => candidate.key === data.listener);
      if (!listener) {
        throw new bullmq.UnrecoverableError(
          `listener ${data.listener} of ${data.event} is not registered in this process (renamed or removed?): replay it once it is back`,
        );
      }
      const attempt = job.attemptsMade + 1;
      try {
        await processor.invoke(prepared, listener, attempt, attempt < (job.opts.attempts ?? 1));
      } catch (error) {
        // As in memory, a listener that timed out is not called again: it may still be running.
        // Its job goes straight to the dead letters, from where it can be replayed.
        if (error instanceof Error && error.name === 'AmityListenerTimeoutError') throw new bullmq.UnrecoverableError(error.message);
        throw error;
      }
      return undefined;
    }
    throw new bullmq.UnrecoverableError(`unknown job name "${job.name}" in the nestjs-amity-webhook queue`);
  };
}
