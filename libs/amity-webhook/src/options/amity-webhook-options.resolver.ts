import { Logger } from '@nestjs/common';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { AmityIdempotencyStore } from '../idempotency/amity-idempotency.store.js';
import { resolveAmityQueueOptions, type ResolvedAmityQueueOptions } from '../queue/amity-queue.options.js';
import { resolveAmityMetricsOptions, type ResolvedAmityMetricsOptions } from '../observability/amity-metrics.options.js';
import { AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS, AmityBoundedIdempotencyStore } from '../idempotency/amity-bounded-idempotency.store.js';
import { AmityMemoryIdempotencyStore } from '../idempotency/amity-memory-idempotency.store.js';
import type { AmityDeliveryInfo } from '../interfaces/amity-webhook-event.interface.js';
import type { AmityWebhookModuleOptions } from '../interfaces/amity-webhook-options.interface.js';
import { AmityIpAllowlist } from '../security/amity-ip-allowlist.js';
import { amityOrderingKey } from '../dispatch/amity-ordering-key.js';
import { AMITY_BODY_BUDGET_BYTES, AMITY_BODY_READ_DEADLINE_MS } from '../receiver/amity-body.reader.js';
import { AMITY_PAYLOAD_LIMIT_DEFAULTS, type AmityPayloadLimits } from '../validation/amity-payload.limits.js';

/** A configured secret, prepared once for HMAC. The secret text itself is not kept. */
export interface ResolvedAmitySecret {
  readonly index: number;
  readonly label: string;
  readonly key: KeyObject;
}

/** Options after defaults are merged and every value is checked. The rest of the code reads only these. */
export interface ResolvedAmityWebhookOptions {
  readonly secrets: readonly ResolvedAmitySecret[];
  readonly bodyLimit: number;
  readonly payloadLimits: AmityPayloadLimits;
  readonly bodyTimeoutMs: number;
  readonly maxBufferedBytes: number;
  readonly strict: boolean;
  readonly concurrency: number;
  readonly maxQueueSize: number;
  readonly onOverflow: ((delivery: AmityDeliveryInfo) => void) | undefined;
  readonly handlerTimeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly orderingKey: ((delivery: AmityDeliveryInfo) => string | undefined) | undefined;
  readonly idempotency:
    | { readonly ttlMs: number; readonly store: AmityIdempotencyStore; readonly key: ((delivery: AmityDeliveryInfo) => string | undefined) | undefined }
    | undefined;
  readonly maxEventAgeMs: number | undefined;
  readonly allowlist: AmityIpAllowlist | undefined;
  readonly shutdownTimeoutMs: number;
  readonly onUnfinished: ((deliveries: readonly AmityDeliveryInfo[]) => void | Promise<void>) | undefined;
  /** Durable mode's settings, or `undefined` for the in-memory queue. */
  readonly queue: ResolvedAmityQueueOptions | undefined;
  /** Prometheus metrics' settings, or `undefined` when they are off. */
  readonly metrics: ResolvedAmityMetricsOptions | undefined;
}

export const AMITY_WEBHOOK_DEFAULTS = {
  path: 'webhooks/amity',
  bodyLimit: 1024 * 1024,
  bodyTimeoutMs: AMITY_BODY_READ_DEADLINE_MS,
  maxBufferedBytes: AMITY_BODY_BUDGET_BYTES,
  strict: false,
  concurrency: 64,
  maxQueueSize: 10_000,
  handlerTimeoutMs: 30_000,
  retries: 2,
  retryDelayMs: 250,
  idempotencyTtlMs: 10 * 60 * 1000,
  idempotencyMaxEntries: 100_000,
  shutdownTimeoutMs: 10_000,
} as const;

/** social.plus allows up to 10 webhooks per network; rotation may briefly need one more of each. */
const MAX_SECRETS = 20;

function splitSecrets(secrets: AmityWebhookModuleOptions['secrets'] | undefined): Array<{ secret: unknown; label?: unknown }> {
  if (typeof secrets === 'string') {
    // Spaces around the commas of a list are layout; an empty item is a mistake worth naming.
    if (secrets.trim() === '') return [];
    return secrets.split(',').map((s) => ({ secret: s.trim() }));
  }
  if (!Array.isArray(secrets)) {
    throw new AmityWebhookConfigError(
      '`secrets` is required: give the secret of each social.plus webhook that points here (a string, a comma-separated string or an array).',
    );
  }
  return (secrets as ReadonlyArray<unknown>).map((entry) =>
    typeof entry === 'string' ? { secret: entry } : ((entry ?? {}) as { secret: unknown; label?: unknown }),
  );
}

/** Every option `forRoot` / the `forRootAsync` factory may return; anything else fails the boot. */
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'secrets',
  'bodyLimit',
  'payloadLimits',
  'bodyTimeoutMs',
  'maxBufferedBytes',
  'strict',
  'concurrency',
  'maxQueueSize',
  'onOverflow',
  'handlerTimeoutMs',
  'retries',
  'retryDelayMs',
  'ordering',
  'idempotency',
  'maxEventAgeMs',
  'allowedIps',
  'shutdownTimeoutMs',
  'onUnfinished',
  'queue',
  'metrics',
]);

/** Options that shape the module and so are given beside the factory, not returned by it. */
const EXTRAS = new Set(['path', 'decorators', 'isGlobal']);

function rejectUnknownOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    if (EXTRAS.has(key)) {
      throw new AmityWebhookConfigError(
        `\`${key}\` shapes the module itself: give it to forRootAsync({ ${key}, useFactory, ... }) beside the factory, not in the options the factory returns.`,
      );
    }
    throw new AmityWebhookConfigError(`unknown option \`${key}\` (known: ${[...KNOWN_OPTIONS].join(', ')}).`);
  }
}

function positiveInteger(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new AmityWebhookConfigError(`\`${name}\` must be ${min === 0 ? 'a non-negative' : 'a positive'} integer (got ${String(value)}).`);
  }
  return value;
}

function optionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new AmityWebhookConfigError(`\`${name}\` must be a function.`);
  return value as F;
}

function resolveIdempotency(value: AmityWebhookModuleOptions['idempotency']): ResolvedAmityWebhookOptions['idempotency'] {
  if (value === false) return undefined;
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw new AmityWebhookConfigError('`idempotency` must be false or an object.');
  }
  const options = value ?? {};
  if (options.store !== undefined && typeof options.store?.claim !== 'function') {
    throw new AmityWebhookConfigError('`idempotency.store` must implement claim(key, ttlMs).');
  }
  const maxEntries = positiveInteger('idempotency.maxEntries', options.maxEntries, AMITY_WEBHOOK_DEFAULTS.idempotencyMaxEntries);
  const timeoutMs = positiveInteger('idempotency.timeoutMs', options.timeoutMs, AMITY_IDEMPOTENCY_CLAIM_TIMEOUT_MS);
  const logger = new Logger('AmityWebhook');
  // A shared store (Redis) is bounded in time, with this process's memory as the fallback.
  const store =
    options.store === undefined
      ? new AmityMemoryIdempotencyStore(maxEntries)
      : new AmityBoundedIdempotencyStore(options.store, { timeoutMs, fallback: new AmityMemoryIdempotencyStore(maxEntries), warn: (m) => logger.warn(m) });
  return {
    ttlMs: positiveInteger('idempotency.ttlMs', options.ttlMs, AMITY_WEBHOOK_DEFAULTS.idempotencyTtlMs),
    store,
    key: optionalFunction('idempotency.key', options.key),
  };
}

function resolvePayloadLimits(value: AmityWebhookModuleOptions['payloadLimits']): AmityPayloadLimits {
  if (value === undefined) return AMITY_PAYLOAD_LIMIT_DEFAULTS;
  if (value === null || typeof value !== 'object') throw new AmityWebhookConfigError('`payloadLimits` must be an object.');
  const limits = { ...AMITY_PAYLOAD_LIMIT_DEFAULTS };
  for (const [key, given] of Object.entries(value)) {
    if (!(key in limits)) throw new AmityWebhookConfigError(`unknown payload limit \`${key}\` (known: ${Object.keys(limits).join(', ')}).`);
    limits[key as keyof AmityPayloadLimits] = positiveInteger(`payloadLimits.${key}`, given, limits[key as keyof AmityPayloadLimits]);
  }
  return Object.freeze(limits);
}

function resolveOrdering(value: AmityWebhookModuleOptions['ordering']): ResolvedAmityWebhookOptions['orderingKey'] {
  if (value === undefined || value === false) return undefined;
  if (value === true) return amityOrderingKey;
  return optionalFunction('ordering', value);
}

/**
 * Merges defaults into the module options and validates them, so a misconfigured app fails at
 * boot with a message naming the module, not with a 401 on every delivery.
 */
export function resolveAmityWebhookOptions(options: AmityWebhookModuleOptions | undefined): ResolvedAmityWebhookOptions {
  if (options === null || typeof options !== 'object') {
    throw new AmityWebhookConfigError('options are missing: pass at least `{ secrets }` to forRoot/forRootAsync.');
  }
  rejectUnknownOptions(options);
  const entries = splitSecrets(options.secrets);
  if (entries.length === 0) {
    throw new AmityWebhookConfigError('no webhook secret configured: `secrets` is empty.');
  }
  if (entries.length > MAX_SECRETS) {
    throw new AmityWebhookConfigError(`at most ${MAX_SECRETS} secrets are supported (got ${entries.length}).`);
  }
  const labels = new Set<string>();
  const secrets = entries.map(({ secret, label }, index): ResolvedAmitySecret => {
    if (typeof secret !== 'string' || secret.trim().length === 0) {
      throw new AmityWebhookConfigError(`secret #${index} is empty or not a string.`);
    }
    if (secret.trim() !== secret) {
      // A secret is compared byte for byte: a stray space would make every signature fail.
      throw new AmityWebhookConfigError(`secret #${index} starts or ends with whitespace; remove it (social.plus secrets have none).`);
    }
    if (label !== undefined && (typeof label !== 'string' || label.length === 0)) {
      throw new AmityWebhookConfigError(`the label of secret #${index} must be a non-empty string.`);
    }
    const resolvedLabel = label ?? `webhook-${index}`;
    if (labels.has(resolvedLabel)) {
      throw new AmityWebhookConfigError(`two secrets share the label "${resolvedLabel}".`);
    }
    labels.add(resolvedLabel);
    return { index, label: resolvedLabel, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  });

  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    throw new AmityWebhookConfigError('`strict` must be a boolean.');
  }

  const concurrency = positiveInteger('concurrency', options.concurrency, AMITY_WEBHOOK_DEFAULTS.concurrency);
  const queue = resolveAmityQueueOptions(options.queue, { ordering: options.ordering, concurrency });
  if (queue !== undefined && options.idempotency !== undefined && options.idempotency !== false && options.idempotency.store !== undefined) {
    throw new AmityWebhookConfigError(
      '`idempotency.store` is not used with `queue`: the queue itself suppresses duplicates by delivery id across instances (`queue.idempotencyWindowMs`). Remove `idempotency.store`.',
    );
  }

  return {
    queue,
    metrics: resolveAmityMetricsOptions(options.metrics),
    secrets,
    bodyLimit: positiveInteger('bodyLimit', options.bodyLimit, AMITY_WEBHOOK_DEFAULTS.bodyLimit),
    payloadLimits: resolvePayloadLimits(options.payloadLimits),
    bodyTimeoutMs: positiveInteger('bodyTimeoutMs', options.bodyTimeoutMs, AMITY_WEBHOOK_DEFAULTS.bodyTimeoutMs),
    maxBufferedBytes: positiveInteger('maxBufferedBytes', options.maxBufferedBytes, AMITY_WEBHOOK_DEFAULTS.maxBufferedBytes),
    strict: options.strict ?? AMITY_WEBHOOK_DEFAULTS.strict,
    concurrency,
    maxQueueSize: positiveInteger('maxQueueSize', options.maxQueueSize, AMITY_WEBHOOK_DEFAULTS.maxQueueSize),
    onOverflow: optionalFunction('onOverflow', options.onOverflow),
    handlerTimeoutMs: positiveInteger('handlerTimeoutMs', options.handlerTimeoutMs, AMITY_WEBHOOK_DEFAULTS.handlerTimeoutMs),
    retries: positiveInteger('retries', options.retries, AMITY_WEBHOOK_DEFAULTS.retries, 0),
    retryDelayMs: positiveInteger('retryDelayMs', options.retryDelayMs, AMITY_WEBHOOK_DEFAULTS.retryDelayMs, 0),
    orderingKey: resolveOrdering(options.ordering),
    idempotency: resolveIdempotency(options.idempotency),
    maxEventAgeMs: options.maxEventAgeMs === undefined ? undefined : positiveInteger('maxEventAgeMs', options.maxEventAgeMs, 0),
    allowlist: options.allowedIps === undefined ? undefined : new AmityIpAllowlist(options.allowedIps),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs, AMITY_WEBHOOK_DEFAULTS.shutdownTimeoutMs, 0),
    onUnfinished: optionalFunction('onUnfinished', options.onUnfinished),
  };
}

/**
 * Checks and normalises the route path given to forRoot / forRootAsync: a plain relative URL path,
 * returned without leading or trailing slashes (Nest adds the global prefix and the slashes).
 */
export function resolveAmityWebhookPath(value: unknown): string {
  const raw = value ?? AMITY_WEBHOOK_DEFAULTS.path;
  if (typeof raw !== 'string' || !/^\/?[A-Za-z0-9._~\-/]*$/.test(raw) || raw.includes('//')) {
    throw new AmityWebhookConfigError(`\`path\` must be a plain URL path such as "webhooks/amity" (got ${JSON.stringify(raw)}).`);
  }
  const path = raw.replace(/^\/+|\/+$/g, '');
  if (path === '') throw new AmityWebhookConfigError('`path` must not be the root path.');
  return path;
}
