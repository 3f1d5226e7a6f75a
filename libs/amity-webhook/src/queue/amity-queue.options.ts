import { join } from 'node:path';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';

/**
 * Connection settings handed to BullMQ (and through it to ioredis): `host`, `port`, `username`,
 * `password`, `db`, `tls`, ... A `redis://` or `rediss://` URL string is accepted in their place.
 */
export interface AmityRedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  /** ioredis TLS options; `rediss://` URLs switch TLS on by themselves. */
  tls?: object;
  /** Any other ioredis option, passed through as given. */
  [option: string]: unknown;
}

/**
 * The `queue` option of `AmityWebhookModule`: durable delivery on BullMQ. With it every verified
 * delivery is stored in Redis (or, while Redis is away, in a local spool) before `200 {}` is
 * answered, and processed by workers with per-listener retries and a dead-letter set.
 *
 * Needs the optional peer dependencies `bullmq` and `ioredis`; without `queue` neither is loaded.
 * Delivery is at least once: listeners receive a stable `event.id` to be idempotent with.
 */
export interface AmityQueueOptions {
  /** Where Redis is: ioredis options or a `redis://` / `rediss://` URL. Required. */
  connection: string | AmityRedisConnectionOptions;
  /**
   * Prefix of every Redis key of the queue, so that apps sharing a Redis never mix deliveries.
   * Instances that share a prefix share deliveries, deduplication and dead letters.
   * @default 'amity-webhook'
   */
  prefix?: string;
  /**
   * `true`: this instance also processes deliveries (calls the listeners). `false`: it only
   * receives and stores them, for a worker-only process elsewhere.
   * @default true
   */
  worker?: boolean;
  /**
   * Directory where deliveries that Redis did not take in time are written (and fsynced) before
   * they are acknowledged, then moved into the queue when Redis answers again. It must survive a
   * restart of the process (in a container: a volume). `false` turns the spool off: a delivery
   * Redis does not take in time then gets `503`.
   * @default `<cwd>/.amity-webhook/spool/<prefix>`
   */
  spoolDir?: string | false;
  /**
   * How long a delivery waits for Redis before it goes to the spool. social.plus gives up after
   * 1.5 s; this plus one fsync must stay well inside that.
   * @default 300
   */
  enqueueTimeoutMs?: number;
  /**
   * How long a delivery id is remembered after it was first stored: a copy that reaches any
   * instance sharing the prefix within this time is acknowledged and not processed again. Kept
   * as a BullMQ deduplication key with this TTL, so finished jobs need not be kept that long.
   * @default 600000 (10 minutes, as the in-memory `idempotency.ttlMs`)
   */
  idempotencyWindowMs?: number;
  /**
   * Jobs this instance's worker runs at once (one job is one listener call, or the fan-out of
   * one delivery). A hung listener holds one of them until `handlerTimeoutMs`.
   * @default the module's `concurrency`
   */
  concurrency?: number;
  /**
   * How long a worker's claim on a job lasts without renewal. A worker renews it while it runs;
   * when it dies, the job is handed to another worker once the claim expired.
   * @default 30000
   */
  lockDurationMs?: number;
  /**
   * How often workers look for jobs whose worker died (stalled jobs) and put them back to wait.
   * @default 30000
   */
  stalledIntervalMs?: number;
  /**
   * Receiving comes first in a process that both receives and works: while its event loop, or
   * storing a received delivery in Redis, runs later than this many milliseconds, its worker takes
   * fewer new jobs (its concurrency is halved, then grows back once both are calm), so that
   * acknowledgements stay inside social.plus' 1.5 s while the backlog waits safely in Redis.
   * Its synchronous work (building events, starting listeners, finishing jobs) runs in slices of
   * about a quarter of this per turn of the event loop, with requests read in between.
   * A worker-only process is never throttled. `false` lets the worker take jobs up to
   * `concurrency` whatever the load. (At 1,000 deliveries/s with 2 s listeners in one process on
   * the bench machine, 10 gave an ack p99 of 28-53 ms, 20 of 49-66 ms; with 10 the backlog drained later.)
   * @default 10
   */
  maxEventLoopDelayMs?: number | false;
}

/** {@link AmityQueueOptions} with defaults applied and every value checked. */
export interface ResolvedAmityQueueOptions {
  /** BullMQ connection options (`{ url }` for a URL). */
  readonly connection: Readonly<AmityRedisConnectionOptions>;
  readonly prefix: string;
  readonly worker: boolean;
  readonly spoolDir: string | undefined;
  readonly enqueueTimeoutMs: number;
  readonly idempotencyWindowMs: number;
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** `undefined`: the worker is not throttled. */
  readonly maxEventLoopDelayMs: number | undefined;
}

/** Defaults of {@link AmityQueueOptions}. */
export const AMITY_QUEUE_DEFAULTS = {
  prefix: 'amity-webhook',
  worker: true,
  enqueueTimeoutMs: 300,
  idempotencyWindowMs: 10 * 60 * 1000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxEventLoopDelayMs: 10,
} as const;

/** The default spool directory of a prefix, relative to the working directory. */
export function amityDefaultSpoolDir(prefix: string): string {
  return join(process.cwd(), '.amity-webhook', 'spool', prefix);
}

const KNOWN_KEYS = new Set([
  'connection',
  'prefix',
  'worker',
  'spoolDir',
  'enqueueTimeoutMs',
  'idempotencyWindowMs',
  'concurrency',
  'lockDurationMs',
  'stalledIntervalMs',
  'maxEventLoopDelayMs',
]);

/** What of the module's own options the queue option depends on. */
export interface AmityQueueModuleContext {
  /** The module's `ordering` option, as given. */
  readonly ordering?: unknown;
  /** The module's resolved `concurrency`. */
  readonly concurrency: number;
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AmityWebhookConfigError(`\`queue.${name}\` must be a positive integer (got ${String(value)}).`);
  }
  return value;
}

function resolveConnection(value: unknown): AmityRedisConnectionOptions {
  if (typeof value === 'string') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new AmityWebhookConfigError('`queue.connection` is not a valid URL: give redis://host:port (or rediss:// for TLS).');
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new AmityWebhookConfigError(`\`queue.connection\` must be a redis:// or rediss:// URL (got ${url.protocol}//...).`);
    }
    return { url: value };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AmityWebhookConfigError(
      '`queue.connection` is required: ioredis options such as { host: "127.0.0.1", port: 6379 }, or a redis:// URL.',
    );
  }
  if ('keyPrefix' in value) {
    throw new AmityWebhookConfigError('`queue.connection.keyPrefix` is not supported by BullMQ: use `queue.prefix`.');
  }
  return { ...(value as AmityRedisConnectionOptions) };
}

/**
 * Checks the `queue` option at boot and applies its defaults; `undefined` when durable mode is
 * off. Fails with a message naming the module for a bad value, an unknown key, or `ordering`
 * set alongside it: the durable queue hands deliveries to any worker of any instance in
 * parallel, and keeping per-entity order across instances would take per-group queues (BullMQ
 * Pro's groups) that BullMQ itself does not have, so the combination is refused rather than
 * silently unordered.
 */
export function resolveAmityQueueOptions(
  value: AmityQueueOptions | undefined,
  module: AmityQueueModuleContext,
): ResolvedAmityQueueOptions | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AmityWebhookConfigError('`queue` must be an object such as { connection: "redis://127.0.0.1:6379" }.');
  }
  const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new AmityWebhookConfigError(`unknown \`queue\` option${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`);
  }
  if (module.ordering !== undefined && module.ordering !== false) {
    throw new AmityWebhookConfigError(
      '`ordering` cannot be combined with `queue`: durable workers on every instance process deliveries in parallel ' +
        'and do not keep per-entity order. Remove `ordering` (listeners can compare the payload timestamps) or `queue`.',
    );
  }
  const prefix = value.prefix ?? AMITY_QUEUE_DEFAULTS.prefix;
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9._:-]+$/.test(prefix)) {
    throw new AmityWebhookConfigError(`\`queue.prefix\` must be a non-empty string of letters, digits, ".", "_", ":" or "-" (got ${JSON.stringify(prefix)}).`);
  }
  if (value.worker !== undefined && typeof value.worker !== 'boolean') {
    throw new AmityWebhookConfigError('`queue.worker` must be a boolean.');
  }
  const spoolDir = value.spoolDir ?? amityDefaultSpoolDir(prefix);
  if (spoolDir !== false && (typeof spoolDir !== 'string' || spoolDir.length === 0)) {
    throw new AmityWebhookConfigError('`queue.spoolDir` must be a directory path or false.');
  }
  const enqueueTimeoutMs = positiveInteger('enqueueTimeoutMs', value.enqueueTimeoutMs, AMITY_QUEUE_DEFAULTS.enqueueTimeoutMs);
  if (enqueueTimeoutMs > 1_000) {
    throw new AmityWebhookConfigError(
      `\`queue.enqueueTimeoutMs\` must leave room inside social.plus' 1.5 s budget: at most 1000 (got ${enqueueTimeoutMs}).`,
    );
  }
  return {
    connection: resolveConnection(value.connection),
    prefix,
    worker: value.worker ?? AMITY_QUEUE_DEFAULTS.worker,
    spoolDir: spoolDir === false ? undefined : spoolDir,
    enqueueTimeoutMs,
    idempotencyWindowMs: positiveInteger('idempotencyWindowMs', value.idempotencyWindowMs, AMITY_QUEUE_DEFAULTS.idempotencyWindowMs),
    concurrency: positiveInteger('concurrency', value.concurrency, module.concurrency),
    lockDurationMs: positiveInteger('lockDurationMs', value.lockDurationMs, AMITY_QUEUE_DEFAULTS.lockDurationMs),
    stalledIntervalMs: positiveInteger('stalledIntervalMs', value.stalledIntervalMs, AMITY_QUEUE_DEFAULTS.stalledIntervalMs),
    maxEventLoopDelayMs:
      value.maxEventLoopDelayMs === false
        ? undefined
        : positiveInteger('maxEventLoopDelayMs', value.maxEventLoopDelayMs, AMITY_QUEUE_DEFAULTS.maxEventLoopDelayMs),
  };
}
