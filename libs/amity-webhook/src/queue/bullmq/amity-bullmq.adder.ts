// Kept apart from amity-bullmq.jobs.ts, whose types the public API reaches: this file needs bullmq's
// types, and hosts without the optional bullmq peer must still type-check.
import type { Job, JobsOptions, Queue } from 'bullmq';

/** Jobs of fewer than this many are added one plain `add` each (see {@link addAmityJobs}). */
const MIN_PIPELINED = 4;

/**
 * Adds jobs to `queue`, answering with the stored jobs in the same order. A few are added with
 * plain `add`s; only more go through `addBulk`, whose ioredis pipeline the collector keeps, with
 * all it holds, until its next full collection (promoting it, and lengthening the pauses every
 * request waits through): a cost worth paying only for the many writes a large batch saves.
 */
export function addAmityJobs(queue: Queue, jobs: readonly { readonly name: string; readonly data: unknown; readonly opts: JobsOptions }[]): Promise<readonly Job[]> {
  if (jobs.length < MIN_PIPELINED) return Promise.all(jobs.map(({ name, data, opts }) => queue.add(name, data, opts)));
  return queue.addBulk(jobs.map(({ name, data, opts }) => ({ name, data, opts })));
}
