import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { resolveAmityMetricsOptions } from './amity-metrics.options.js';

describe('resolveAmityMetricsOptions', () => {
  it('is off unless asked for', () => {
    expect(resolveAmityMetricsOptions(undefined)).toBeUndefined();
    expect(resolveAmityMetricsOptions(false)).toBeUndefined();
  });

  it('uses the default registry for true and the given one otherwise', () => {
    expect(resolveAmityMetricsOptions(true)).toEqual({ registry: undefined });
    expect(resolveAmityMetricsOptions({})).toEqual({ registry: undefined });
    const registry = new Registry();
    expect(resolveAmityMetricsOptions({ registry })!.registry).toBe(registry);
  });

  it('fails the boot on anything else, naming the module', () => {
    expect(() => resolveAmityMetricsOptions('yes')).toThrow(/AmityWebhookModule.*`metrics` must be/);
    expect(() => resolveAmityMetricsOptions({ registry: {} })).toThrow(/must be a prom-client Registry/);
    expect(() => resolveAmityMetricsOptions({ prefix: 'x' })).toThrow(/unknown `metrics` option `prefix`/);
  });
});
