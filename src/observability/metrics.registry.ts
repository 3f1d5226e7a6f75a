import { collectDefaultMetrics, Registry } from 'prom-client';

/** Injection token of the app's Prometheus registry, served on `GET /metrics`. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * A registry per app rather than prom-client's global one, so that apps booted side by side (the
 * e2e tests) each report their own figures. It holds Node's process metrics and the webhook
 * module's (`metrics: { registry }`).
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
