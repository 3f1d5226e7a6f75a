/**
 * A prom-client `Registry`, as the module's options name it: described here so that the
 * package's declarations never name `prom-client`, an optional peer.
 */
export interface AmityMetricsRegistry {
  registerMetric(metric: never): void;
  getSingleMetric(name: string): unknown;
  removeSingleMetric(name: string): void;
}
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';

/**
 * The `metrics` option of `AmityWebhookModule`: Prometheus metrics on `prom-client`, an optional
 * peer dependency loaded only when this option asks for metrics.
 */
export interface AmityMetricsOptions {
  /**
   * The registry the module's metrics are registered on (and removed from when the app closes).
   * Give each app its own when several run in one process.
   * @default prom-client's default registry (`register`)
   */
  registry?: AmityMetricsRegistry;
}

/** `metrics` after checking: `undefined` when metrics are off. */
export interface ResolvedAmityMetricsOptions {
  /** `undefined`: prom-client's default registry. */
  readonly registry: AmityMetricsRegistry | undefined;
}

/** Checks the `metrics` option: `true` or an object turns metrics on, `false` or nothing leaves them off. */
export function resolveAmityMetricsOptions(value: unknown): ResolvedAmityMetricsOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { registry: undefined };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AmityWebhookConfigError('`metrics` must be true, false or { registry?: Registry }.');
  }
  for (const key of Object.keys(value)) {
    if (key !== 'registry') throw new AmityWebhookConfigError(`unknown \`metrics\` option \`${key}\` (known: registry).`);
  }
  const registry = (value as { registry?: unknown }).registry;
  // Duck-typed: the host's prom-client copy may not be the one this package would load.
  if (registry !== undefined && (registry === null || typeof (registry as AmityMetricsRegistry).registerMetric !== 'function')) {
    throw new AmityWebhookConfigError('`metrics.registry` must be a prom-client Registry.');
  }
  return { registry: registry as AmityMetricsRegistry | undefined };
}
