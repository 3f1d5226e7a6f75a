import type { Job, Queue } from 'bullmq';
import { AMITY_BULLMQ_QUEUE_NAME, AMITY_DELIVERY_JOB, type AmityListenerJobData } from './amity-bullmq.jobs.js';
import { amityBullmqConnection } from './amity-bullmq.connection.js';
import type { AmityRedisConnectionOptions } from '../amity-queue.options.js';
import { loadAmityBullmq } from './amity-bullmq.loader.js';

/** Job counts of a durable queue, by BullMQ state. */
export interface AmityQueueStats {
  /** Jobs waiting for a worker (deliveries to fan out and listener calls). */
  readonly waiting: number;
  /** Jobs a worker runs right now. */
  readonly active: number;
  /** Listener calls waiting for their next attempt. */
  readonly delayed: number;
  /** Finished jobs still kept for dashboards (the last hour, at most 1000). */
  readonly completed: number;
  /** Dead letters: jobs that failed their last attempt. */
  readonly failed: number;
  /** `waiting + active + delayed`: work accepted and not finished. */
  readonly backlog: number;
}

/** A job in the failed set. */
export interface AmityDeadLetter {
  /** BullMQ job id. */
  readonly jobId: string;
  /** `listener`: one listener failed its last attempt; `delivery`: the delivery could not be handed to its listeners at all. */
  readonly kind: 'listener' | 'delivery';
  readonly deliveryId: string;
  /** Event name on the host's bus (`amity.message.didCreate`); `undefined` for a delivery job. */
  readonly event: string | undefined;
  /** The listener's key (`Class.method`); `undefined` for a delivery job. */
  readonly listener: string | undefined;
  readonly receivedAt: Date;
  /** When the last attempt failed. */
  readonly failedAt: Date | undefined;
  /** Calls of the listener (since its last replay), or attempts of a delivery job. */
  readonly attemptsMade: number;
  /** The last error message. */
  readonly reason: string;
}

/** Which dead letters to list or replay; all given criteria must match. */
export interface AmityDeadLetterFilter {
  /** Event name as social.plus sends it (`message.didCreate`) or as emitted (`amity.message.didCreate`). */
  readonly event?: string;
  /** Listener key, e.g. `MessageListener.onCreate`. */
  readonly listener?: string;
  /** Only deliveries received at or after this time. */
  readonly since?: Date;
}

/** What {@link AmityBullmqAdmin.replayFailed} did. */
export interface AmityReplayResult {
  /** The dead letters that matched the filter. */
  readonly matched: readonly AmityDeadLetter[];
  /** How many were moved back to wait (0 on a dry run; fewer when some were replayed meanwhile). */
  readonly replayed: number;
}

/** Failed jobs are read in pages of this size, so a large dead-letter set never sits in memory twice. */
const PAGE = 500;

/**
 * Inspection and replay of a durable queue, for the CLI (`amity-webhook queue stats`,
 * `amity-webhook replay --failed`) and dashboards. It only reads, except `replayFailed`, which
 * moves dead letters back to wait with fresh attempts: the same jobs run again, so the
 * deduplication window does not apply to them.
 */
export class AmityBullmqAdmin {
  private constructor(
    private readonly queue: Queue,
    private readonly ownsQueue: boolean,
  ) {}

  /**
   * Opens its own connection (the CLI's case); `close()` ends it. Rejects when Redis does not
   * answer within `timeoutMs` (default 5000), leaving no connection behind.
   */
  static async connect(options: {
    connection: string | AmityRedisConnectionOptions;
    prefix: string;
    timeoutMs?: number;
  }): Promise<AmityBullmqAdmin> {
    const bullmq = await loadAmityBullmq();
    const connection = typeof options.connection === 'string' ? { url: options.connection } : options.connection;
    // A BullMQ client waits for Redis forever and cannot be closed before it connected: ask once first.
    await pingOnce(connection, options.timeoutMs ?? 5_000);
    const queue = new bullmq.Queue(AMITY_BULLMQ_QUEUE_NAME, {
      connection: amityBullmqConnection(connection, { failFast: true }),
      prefix: options.prefix,
      // Reading must not rewrite the queue's metadata (a CLI may be a different BullMQ version).
      skipMetasUpdate: true,
    });
    queue.on('error', () => undefined);
    await queue.waitUntilReady();
    return new AmityBullmqAdmin(queue, true);
  }

  /**
   * Over a queue that {@link AmityBullmqQueue} already holds (a BullMQ `Queue`). Typed loosely so
   * that the package's declarations never name `bullmq`, an optional peer.
   * @internal
   */
  static over(queue: unknown): AmityBullmqAdmin {
    return new AmityBullmqAdmin(queue as Queue, false);
  }

  async stats(): Promise<AmityQueueStats> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
    const waiting = (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0);
    const active = counts['active'] ?? 0;
    const delayed = counts['delayed'] ?? 0;
    return {
      waiting,
      active,
      delayed,
      completed: counts['completed'] ?? 0,
      failed: counts['failed'] ?? 0,
      backlog: waiting + active + delayed,
    };
  }

  /** Dead letters matching `filter`, most recent failure first. */
  async listFailed(filter: AmityDeadLetterFilter = {}): Promise<AmityDeadLetter[]> {
    const found: AmityDeadLetter[] = [];
    for await (const job of this.failedJobs()) {
      const letter = deadLetter(job);
      if (matches(letter, filter)) found.push(letter);
    }
    return found;
  }

  /** Moves the matching dead letters back to wait, with their attempts reset (nothing on `dryRun`). */
  async replayFailed(filter: AmityDeadLetterFilter & { readonly dryRun?: boolean } = {}): Promise<AmityReplayResult> {
    const matched: AmityDeadLetter[] = [];
    const jobs: Job[] = [];
    for await (const job of this.failedJobs()) {
      const letter = deadLetter(job);
      if (!matches(letter, filter)) continue;
      matched.push(letter);
      jobs.push(job);
    }
    if (filter.dryRun) return { matched, replayed: 0 };
    let replayed = 0;
    for (const job of jobs) {
      try {
        // A replayed listener counts its attempts from 1 again.
        const data = job.data as Partial<AmityListenerJobData>;
        if (job.name !== AMITY_DELIVERY_JOB && data.callsBefore) await job.updateData({ ...data, callsBefore: 0 });
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        replayed += 1;
      } catch (error) {
        // Replayed or removed by someone else since it was listed: not ours to report as a failure.
        if ((await job.getState()) === 'failed') throw error;
      }
    }
    return { matched, replayed };
  }

  /** Ends the connection when this admin opened it. */
  async close(): Promise<void> {
    if (this.ownsQueue) await this.queue.close();
  }

  /**
   * The whole failed set, newest first, page by page. A replay reads it all before it moves any
   * job, so the pages do not shift under it.
   */
  private async *failedJobs(): AsyncGenerator<Job> {
    const seen = new Set<string>();
    let start = 0;
    for (;;) {
      const page = await this.queue.getFailed(start, start + PAGE - 1);
      if (page.length === 0) return;
      for (const job of page) {
        // getFailed leaves a hole when a job is removed between reading the set and the job.
        if (!job?.id || seen.has(job.id)) continue;
        seen.add(job.id);
        yield job;
      }
      start += PAGE;
    }
  }
}

function deadLetter(job: Job): AmityDeadLetter {
  const data = job.data as Partial<AmityListenerJobData>;
  const isDelivery = job.name === AMITY_DELIVERY_JOB;
  return {
    jobId: job.id!,
    kind: isDelivery ? 'delivery' : 'listener',
    deliveryId: data.id ?? '',
    event: isDelivery ? undefined : data.event,
    listener: isDelivery ? undefined : data.listener,
    receivedAt: new Date(data.receivedAt ?? job.timestamp),
    failedAt: job.finishedOn === undefined ? undefined : new Date(job.finishedOn),
    attemptsMade: (data.callsBefore ?? 0) + job.attemptsMade,
    reason: job.failedReason ?? '',
  };
}

function matches(letter: AmityDeadLetter, filter: AmityDeadLetterFilter): boolean {
  if (filter.event !== undefined && letter.event !== filter.event && letter.event !== `amity.${filter.event}`) return false;
  if (filter.listener !== undefined && letter.listener !== filter.listener) return false;
  if (filter.since !== undefined && letter.receivedAt.getTime() < filter.since.getTime()) return false;
  return true;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : error === undefined ? 'no error reported' : String(error);
}

/** One connection attempt and a PING within `timeoutMs`, with no retries, leaving nothing open. */
async function pingOnce(connection: AmityRedisConnectionOptions, timeoutMs: number): Promise<void> {
  const { Redis } = await import('ioredis');
  const { url, ...rest } = connection as AmityRedisConnectionOptions & { url?: string };
  const settings = {
    ...rest,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    // Otherwise disconnect() keeps a 2 s timer in case the socket does not close by itself.
    disconnectTimeout: 0,
  };
  const client = url === undefined ? new Redis(settings) : new Redis(url, settings);
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms (${describe(lastError)})`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new Error(error instanceof Error && error.message.startsWith('no answer') ? error.message : `not reachable (${describe(error)})`, { cause: error });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
