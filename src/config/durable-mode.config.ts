import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ConfigService } from '@nestjs/config';
import { AMITY_QUEUE_DEFAULTS, type AmityQueueOptions } from 'nestjs-amity-webhook';

/** Redis of the durable mode: set, every delivery is stored there before it is acknowledged. */
export const AMITY_WEBHOOK_REDIS_URL_ENV = 'AMITY_WEBHOOK_REDIS_URL';
/** Prefix of the queue's Redis keys (the CLI reads the same variable). */
export const AMITY_WEBHOOK_QUEUE_PREFIX_ENV = 'AMITY_WEBHOOK_QUEUE_PREFIX';
/** What this process does: `all`, `receiver` or `worker`. */
export const AMITY_WEBHOOK_ROLE_ENV = 'AMITY_WEBHOOK_ROLE';
/** Where deliveries go while Redis does not take them. */
export const AMITY_WEBHOOK_SPOOL_DIR_ENV = 'AMITY_WEBHOOK_SPOOL_DIR';

/** Folder of the spools when `AMITY_WEBHOOK_SPOOL_DIR` is unset: beside PGlite's, under the git-ignored `./data`. */
export const DEFAULT_SPOOL_ROOT = './data/amity-spool';

/**
 * - `all`: receives webhooks and processes them (calls the listeners); the only role without Redis.
 * - `receiver`: receives and stores them in Redis; worker processes call the listeners.
 * - `worker`: serves no HTTP at all and processes what receivers stored (`npm run start:worker`).
 */
export type WebhookRole = 'all' | 'receiver' | 'worker';
export const WEBHOOK_ROLES: readonly WebhookRole[] = ['all', 'receiver', 'worker'];

/** The durable-mode variables as read, before any default. */
export interface DurableModeEnv {
  readonly redisUrl?: string | undefined;
  readonly prefix?: string | undefined;
  readonly role?: string | undefined;
  readonly spoolDir?: string | undefined;
}

/** What the durable-mode variables decide. */
export interface DurableModeSettings {
  /** `AMITY_WEBHOOK_ROLE`. @default 'all' */
  readonly role: WebhookRole;
  /** The module's `queue` option; `undefined` without `AMITY_WEBHOOK_REDIS_URL` (the in-memory queue, as before). */
  readonly queue: AmityQueueOptions | undefined;
}

// What BullMQ accepts in a key prefix, as the library checks it.
const PREFIX = /^[A-Za-z0-9._:-]+$/;

function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads `AMITY_WEBHOOK_ROLE`; unset or blank is `all`. */
export function parseWebhookRole(value: string | undefined): WebhookRole {
  const role = given(value) ?? 'all';
  if (!(WEBHOOK_ROLES as readonly string[]).includes(role)) {
    throw new Error(`${AMITY_WEBHOOK_ROLE_ENV} must be one of ${WEBHOOK_ROLES.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return role as WebhookRole;
}

/**
 * Decides the webhook module's `queue` option from the environment. Pure, so it is tested without
 * Nest. Without `AMITY_WEBHOOK_REDIS_URL` the app runs as it always did (in-memory queue, nothing
 * to install); `receiver` and `worker` split one queue between processes, so they need it. Every
 * bad value fails the boot with a message naming its variable (the password in the URL is never
 * printed).
 */
export function resolveDurableMode(env: DurableModeEnv): DurableModeSettings {
  const role = parseWebhookRole(env.role);
  const redisUrl = given(env.redisUrl);
  if (redisUrl === undefined) {
    if (role !== 'all') {
      throw new Error(
        `${AMITY_WEBHOOK_ROLE_ENV}=${role} splits the work between processes through Redis: set ${AMITY_WEBHOOK_REDIS_URL_ENV} ` +
          `(redis://host:6379), or leave ${AMITY_WEBHOOK_ROLE_ENV} unset`,
      );
    }
    return { role, queue: undefined };
  }
  let protocol: string;
  try {
    protocol = new URL(redisUrl).protocol;
  } catch {
    throw new Error(`${AMITY_WEBHOOK_REDIS_URL_ENV} must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379`);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new Error(`${AMITY_WEBHOOK_REDIS_URL_ENV} must be a redis:// or rediss:// URL (got ${protocol}//...)`);
  }
  const prefix = given(env.prefix) ?? AMITY_QUEUE_DEFAULTS.prefix;
  if (!PREFIX.test(prefix)) {
    throw new Error(`${AMITY_WEBHOOK_QUEUE_PREFIX_ENV} must be letters, digits, ".", "_", ":" or "-" (got ${JSON.stringify(env.prefix)})`);
  }
  return {
    role,
    queue: {
      connection: redisUrl,
      prefix,
      worker: role !== 'receiver',
      // A worker-only process never receives, so it never spools: only receivers touch the folder.
      spoolDir: role === 'worker' ? false : (given(env.spoolDir) ?? join(DEFAULT_SPOOL_ROOT, prefix)),
    },
  };
}

/** {@link resolveDurableMode} over `ConfigService` (so `.env` counts). */
export function durableModeFromConfig(config: ConfigService): DurableModeSettings {
  return resolveDurableMode({
    redisUrl: config.get<string>(AMITY_WEBHOOK_REDIS_URL_ENV),
    prefix: config.get<string>(AMITY_WEBHOOK_QUEUE_PREFIX_ENV),
    role: config.get<string>(AMITY_WEBHOOK_ROLE_ENV),
    spoolDir: config.get<string>(AMITY_WEBHOOK_SPOOL_DIR_ENV),
  });
}

/**
 * A worker-only process serves no route, so it verifies nothing and needs no webhook secret; the
 * module still wants one. It gets one nobody knows, made for this process.
 */
export function unusedWorkerSecret(): string {
  return `worker-only-${randomBytes(32).toString('base64url')}`;
}
