import { Logger } from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import {
  AmityQueueRefusedError,
  type AmityDeliveryProcessor,
  type AmityDeliveryQueue,
  type AmityEnqueueOutcome,
  type AmityQueuedDelivery,
} from '../amity-delivery.queue.js';
import type { ResolvedAmityQueueOptions } from '../amity-queue.options.js';
import { loadAmityBullmq, type AmityBullmqModule } from './amity-bullmq.loader.js';
import { AmityBullmqAdmin } from './amity-bullmq.admin.js';
import { amityBullmqConnection } from './amity-bullmq.connection.js';
import {
  AMITY_BULLMQ_QUEUE_NAME,
  AMITY_DELIVERY_JOB,
  amityDeliveryJobId,
  toAmityJobData,
  type AmityDeliveryJobData,
} from './amity-bullmq.jobs.js';
import type { AmityBullmqRetry } from './amity-bullmq.jobs.js';
import { AMITY_DELIVERY_JOB_OPTIONS, amityBullmqJobHandler } from './amity-bullmq.processor.js';
import { AmityDeliveryBatcher } from './amity-delivery.batcher.js';
import { AmityDeliverySpool } from './amity-delivery.spool.js';
import { AmityWorkerThrottle } from './amity-worker.throttle.js';
import { AmityWorkerPacer } from './amity-worker.pacer.js';
import { amityErrorMessage } from '../../errors/amity-error.message.js';
import { AmityNoAnswerError, amityWithin } from '../../errors/amity-no-answer.error.js';

/** How often the spool is looked at, and drained when it holds deliveries and Redis answers. */
const SPOOL_DRAIN_INTERVAL_MS = 1_000;
const IDLE_POLL_MS = 50;
/** How long one step of `close` may wait for Redis before the connection is dropped instead. */
const CLOSE_STEP_MS = 1_000;

/** What logs the queue's outages; Nest's `Logger` by default. */
export type AmityQueueLogger = Pick<Logger, 'log' | 'warn' | 'error'>;

/**
 * The durable {@link AmityDeliveryQueue}: BullMQ on Redis.
 *
 * - `enqueue` adds a `delivery` job and resolves once Redis has it; the adds of one turn of the
 *   event loop go to Redis together ({@link AmityDeliveryBatcher}). The delivery id is the
 *   job's BullMQ deduplication id with a TTL of `idempotencyWindowMs`, so a copy of the same
 *   delivery reaching any instance of the prefix within the window is reported `duplicate` and
 *   not stored again. When Redis does not answer within `enqueueTimeoutMs`, the delivery is
 *   written to the local spool (fsynced) instead, and moved into the queue when Redis is back;
 *   deduplication makes that move happen once even when the timed-out add landed after all.
 * - Workers (`start`) call every listener of a delivery once from its job; a listener that
 *   fails gets a job of its own, retried alone with exponential backoff and jitter; its last
 *   failure stays in the failed set (the dead letters, see {@link AmityBullmqAdmin}). While the
 *   process also receives, the worker does its synchronous work in short slices between which
 *   requests are read ({@link AmityWorkerPacer}), and while its event loop or its stores run
 *   late, it takes fewer jobs (`maxEventLoopDelayMs`). A worker that dies leaves its jobs locked; another
 *   worker takes them over once the lock expired (`lockDurationMs`, checked every
 *   `stalledIntervalMs`). Delivery is therefore at least once.
 *
 * Create it with {@link AmityBullmqQueue.create}, which loads `bullmq` only then.
 */
export class AmityBullmqQueue implements AmityDeliveryQueue {
  /** Inspection and replay over this queue's connection. */
  readonly admin: AmityBullmqAdmin;
  private worker: Worker | undefined;
  private throttle: AmityWorkerThrottle | undefined;
  /** This process has received a delivery: it is not a worker-only process. */
  private received = false;
  /** Ids of the jobs this instance's worker runs, until their outcome is stored. */
  private readonly running = new Set<string>();
  private closing = false;
  /** Redis failed to take a delivery and has not taken the spool back yet: new deliveries go to the spool. */
  private outage = false;
  private spoolFailureLogged = false;
  private redisErrorLogged = false;
  private workerErrorLogged = false;
  private draining: Promise<void> | undefined;
  private readonly drainTimer: NodeJS.Timeout | undefined;
  private readonly batcher: AmityDeliveryBatcher;
  /** Paces the worker's synchronous work once the process also receives (a quarter of `maxEventLoopDelayMs` per turn). */
  private readonly pacer: AmityWorkerPacer;

  private constructor(
    private readonly bullmq: AmityBullmqModule,
    private readonly options: ResolvedAmityQueueOptions,
    private readonly retry: AmityBullmqRetry,
    private readonly queue: Queue,
    private readonly spool: AmityDeliverySpool | undefined,
    private readonly logger: AmityQueueLogger,
  ) {
    this.admin = AmityBullmqAdmin.over(queue);
    this.batcher = new AmityDeliveryBatcher(queue, options.enqueueTimeoutMs, (ms) => this.throttle?.noteStore(ms));
    // The stores of the requests read in a turn go out before that turn's slice of worker work.
    this.pacer = new AmityWorkerPacer((options.maxEventLoopDelayMs ?? 0) / 4, () => this.batcher.send());
    queue.on('error', (error) => this.onRedisError(error));
    if (spool) {
      // Deliveries left by a previous run are moved first, then whatever an outage leaves.
      void this.drainSpool();
      this.drainTimer = setInterval(() => void this.drainSpool(), SPOOL_DRAIN_INTERVAL_MS);
      this.drainTimer.unref();
    }
  }

  /**
   * Loads BullMQ, checks the spool directory and connects. Fails the boot when `bullmq` is not
   * installed or the spool directory cannot be written; Redis itself may still be down (the
   * spool takes deliveries until it is up).
   */
  static async create(
    options: ResolvedAmityQueueOptions,
    retry: AmityBullmqRetry,
    logger: AmityQueueLogger = new Logger('AmityWebhookQueue'),
  ): Promise<AmityBullmqQueue> {
    const bullmq = await loadAmityBullmq();
    const spool = options.spoolDir === undefined ? undefined : new AmityDeliverySpool(options.spoolDir);
    await spool?.open();
    const queue = new bullmq.Queue(AMITY_BULLMQ_QUEUE_NAME, {
      connection: amityBullmqConnection(options.connection, { failFast: true }),
      prefix: options.prefix,
    });
    return new AmityBullmqQueue(bullmq, options, retry, queue, spool, logger);
  }

  async enqueue(delivery: AmityQueuedDelivery): Promise<AmityEnqueueOutcome> {
    if (this.closing) throw new AmityQueueRefusedError('the webhook receiver is shutting down', 'closing');
    if (!this.received) {
      this.received = true;
      this.throttleIfShared();
    }
    const data = toAmityJobData(delivery);
    // During an outage the spool answers at once instead of every delivery waiting for Redis first.
    if (!this.outage || !this.spool) {
      try {
        const outcome = await this.store(data);
        this.redisErrorLogged = false;
        return outcome;
      } catch (error) {
        this.startOutage(error);
        if (!this.spool) {
          throw new AmityQueueRefusedError('the delivery queue (Redis) is unavailable and no spool is configured', 'unavailable');
        }
      }
    }
    try {
      return await this.spool.write(data);
    } catch (error) {
      if (!this.spoolFailureLogged) {
        this.spoolFailureLogged = true;
        this.logger.error(
          `Neither Redis nor the spool at ${this.spool.dir} takes deliveries (${amityErrorMessage(error)}): answering 503 until one does`,
        );
      }
      throw new AmityQueueRefusedError('the delivery queue (Redis) and its local spool are unavailable', 'unavailable');
    }
  }

  /**
   * Starts a worker, unless `worker: false` (a receive-only instance). Its jobs call
   * `processor.prepare` and `processor.invoke`; retries are BullMQ's, not `dispatch`'s.
   */
  start(processor: AmityDeliveryProcessor): void {
    if (!this.options.worker || this.worker || this.closing) return;
    const handle = amityBullmqJobHandler(this.bullmq, this.queue, processor, this.retry, this.pacer);
    const worker = new this.bullmq.Worker(
      AMITY_BULLMQ_QUEUE_NAME,
      async (job) => {
        this.running.add(job.id!);
        return handle(job);
      },
      {
        connection: amityBullmqConnection(this.options.connection, { failFast: false }),
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs,
      },
    );
    worker.on('error', (error) => {
      if (this.workerErrorLogged) return;
      this.workerErrorLogged = true;
      this.logger.warn(`The delivery worker lost Redis (${amityErrorMessage(error)}); it resumes by itself once Redis is back`);
    });
    // A job counts as running until BullMQ recorded its outcome in Redis (these events come after that).
    worker.on('completed', (job) => {
      this.running.delete(job.id!);
      this.workerErrorLogged = false;
    });
    worker.on('failed', (job, error) => {
      if (job) this.running.delete(job.id!);
      // Listener failures are reported by the processor; a fan-out failing is ours to report.
      if (job?.name === AMITY_DELIVERY_JOB) {
        this.logger.error(`Delivery ${(job.data as AmityDeliveryJobData).id} could not be handed to its listeners: ${amityErrorMessage(error)}`);
      }
    });
    this.worker = worker;
    this.throttleIfShared();
  }

  /**
   * Once this process both receives and works, its worker yields to receiving (see
   * `maxEventLoopDelayMs`); a worker-only process takes jobs up to `concurrency` at any load.
   */
  private throttleIfShared(): void {
    const maxDelay = this.options.maxEventLoopDelayMs;
    if (this.throttle || !this.worker || !this.received || this.closing || maxDelay === undefined) return;
    this.throttle = new AmityWorkerThrottle(this.worker, this.options.concurrency, maxDelay);
    this.pacer.activate();
  }

  /** Jobs accepted and not finished (waiting, active or delayed), plus deliveries still in the spool. */
  async backlog(): Promise<number> {
    const [stats, spooled] = await Promise.all([this.admin.stats(), this.spool?.list().then((names) => names.length) ?? 0]);
    return stats.backlog + spooled;
  }

  /**
   * Resolves once the backlog is empty. BullMQ has no such event across workers of several
   * processes, so the counts are polled (for tests and tools, not the request path).
   */
  async onIdle(): Promise<void> {
    for (;;) {
      if ((await this.backlog().catch(() => -1)) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  /**
   * Refuses new deliveries, lets the worker finish its running jobs for up to `timeoutMs`, then
   * closes. Jobs still running then keep their lock in Redis and are taken over by another worker
   * when it expires; waiting jobs and the spool stay where they are for the next start.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.throttle?.stop();
    // Deliveries whose enqueue began before the close are stored before the connection closes.
    const storing = this.batcher.settled();
    const worker = this.worker;
    if (worker) {
      // Stop fetching at once; the jobs already running are counted here rather than awaited
      // through BullMQ, whose graceful close cannot be cut short once it started.
      await settles(worker.pause(true), CLOSE_STEP_MS);
      const deadline = Date.now() + timeoutMs;
      while (this.running.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
      // Forced: the running jobs were waited for above, and BullMQ's graceful close waits for
      // Redis to answer QUIT, forever when Redis is gone.
      await settles(worker.close(true), CLOSE_STEP_MS);
    }
    await Promise.all([storing, this.draining]);
    await settles(this.queue.close(), CLOSE_STEP_MS);
    await settles(this.queue.disconnect(), CLOSE_STEP_MS);
  }

  /** Adds the delivery job within `enqueueTimeoutMs`; `duplicate` when the window already holds its id. */
  private store(data: AmityDeliveryJobData): Promise<AmityEnqueueOutcome> {
    // An add that loses the race may still land later; deduplication covers that.
    // Written out rather than spread from AMITY_DELIVERY_JOB_OPTIONS: on the request path, V8
    // builds this literal in a sixth of the time the spread takes (0.45 vs 2.9 us).
    const { attempts, backoff, removeOnComplete, removeOnFail } = AMITY_DELIVERY_JOB_OPTIONS;
    return this.batcher.add(data, {
      attempts,
      backoff,
      removeOnComplete,
      removeOnFail,
      jobId: amityDeliveryJobId(data.id),
      deduplication: { id: data.id, ttl: this.options.idempotencyWindowMs },
    });
  }

  private startOutage(error: unknown): void {
    if (this.outage) return;
    this.outage = true;
    this.logger.warn(
      this.spool
        ? `Redis did not take a delivery (${amityErrorMessage(error)}): deliveries go to the spool at ${this.spool.dir} until it is back`
        : `Redis did not take a delivery (${amityErrorMessage(error)}): answering 503 until it is back`,
    );
  }

  private endOutage(moved: number): void {
    if (!this.outage) return;
    this.outage = false;
    this.spoolFailureLogged = false;
    this.logger.log(`Redis takes deliveries again; ${moved} spooled ${moved === 1 ? 'delivery was' : 'deliveries were'} moved into the queue`);
  }

  private onRedisError(error: Error): void {
    // ioredis reports every failed reconnection: one line per outage is enough.
    if (this.outage || this.redisErrorLogged) return;
    this.redisErrorLogged = true;
    this.logger.warn(`Redis connection problem: ${amityErrorMessage(error)}`);
  }

  /** One drain at a time; the timer starts the next. Stops at the first delivery Redis does not take. */
  private drainSpool(): Promise<void> {
    this.draining ??= this.moveSpooled().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async moveSpooled(): Promise<void> {
    const spool = this.spool!;
    let moved = 0;
    try {
      for (const name of await spool.list()) {
        if (this.closing) return;
        let data: AmityDeliveryJobData;
        try {
          data = await spool.read(name);
        } catch (error) {
          const path = await spool.quarantine(name);
          this.logger.error(`A spooled delivery cannot be read back (${amityErrorMessage(error)}); set aside as ${path}`);
          continue;
        }
        await this.store(data);
        await spool.remove(name);
        moved += 1;
      }
      // An outage that left nothing in the spool (it could not be written either) ends when Redis answers.
      if (moved === 0 && this.outage) await amityWithin(this.queue.getWaitingCount(), this.options.enqueueTimeoutMs);
    } catch {
      // Redis (or the disk) is still away: the next tick tries again.
      return;
    }
    if (!this.closing) this.endOutage(moved);
  }
}

/** Whether `promise` settled (either way) within `ms`. */
async function settles(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return amityWithin(promise, ms).then(
    () => true,
    (error: unknown) => !(error instanceof AmityNoAnswerError),
  );
}
