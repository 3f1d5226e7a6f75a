import { createSecretKey, type KeyObject } from 'node:crypto';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { AmityWebhookModuleOptions } from '../interfaces/amity-webhook-options.interface.js';

/** A configured secret, prepared once for HMAC. The secret text itself is not kept. */
export interface ResolvedAmitySecret {
  readonly index: number;
  readonly label: string;
  readonly key: KeyObject;
}

/** Options after defaults are merged and every value is checked. The rest of the code reads only these. */
export interface ResolvedAmityWebhookOptions {
  readonly secrets: readonly ResolvedAmitySecret[];
  /** Absolute route path, with a leading slash and no trailing slash. */
  readonly path: string;
  readonly bodyLimit: number;
  readonly strict: boolean;
  readonly concurrency: number;
}

export const AMITY_WEBHOOK_DEFAULTS = {
  path: 'webhooks/amity',
  bodyLimit: 1024 * 1024,
  strict: false,
  concurrency: 64,
} as const;

/** social.plus allows up to 10 webhooks per network; rotation may briefly need one more of each. */
const MAX_SECRETS = 20;

function splitSecrets(secrets: AmityWebhookModuleOptions['secrets'] | undefined): Array<{ secret: unknown; label?: unknown }> {
  if (typeof secrets === 'string') {
    return secrets
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((secret) => ({ secret }));
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

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new AmityWebhookConfigError(`\`${name}\` must be a positive integer (got ${String(value)}).`);
  }
  return value;
}

/**
 * Merges defaults into the module options and validates them, so a misconfigured app fails at
 * boot with a message naming the module, not with a 401 on every delivery.
 */
export function resolveAmityWebhookOptions(options: AmityWebhookModuleOptions | undefined): ResolvedAmityWebhookOptions {
  if (options === null || typeof options !== 'object') {
    throw new AmityWebhookConfigError('options are missing: pass at least `{ secrets }` to forRoot/forRootAsync.');
  }
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

  const rawPath = options.path ?? AMITY_WEBHOOK_DEFAULTS.path;
  if (typeof rawPath !== 'string' || !/^\/?[A-Za-z0-9._~\-/]*$/.test(rawPath) || rawPath.includes('//')) {
    throw new AmityWebhookConfigError(`\`path\` must be a plain URL path such as "webhooks/amity" (got ${JSON.stringify(rawPath)}).`);
  }
  const path = `/${rawPath.replace(/^\/+|\/+$/g, '')}`;
  if (path === '/') {
    throw new AmityWebhookConfigError('`path` must not be the root path.');
  }

  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    throw new AmityWebhookConfigError('`strict` must be a boolean.');
  }

  return {
    secrets,
    path,
    bodyLimit: positiveInteger('bodyLimit', options.bodyLimit, AMITY_WEBHOOK_DEFAULTS.bodyLimit),
    strict: options.strict ?? AMITY_WEBHOOK_DEFAULTS.strict,
    concurrency: positiveInteger('concurrency', options.concurrency, AMITY_WEBHOOK_DEFAULTS.concurrency),
  };
}
