import { describe, expect, it } from '@jest/globals';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { AmityWebhookModuleOptions } from '../interfaces/amity-webhook-options.interface.js';
import { AMITY_WEBHOOK_DEFAULTS, resolveAmityWebhookOptions, resolveAmityWebhookPath } from './amity-webhook-options.resolver.js';

describe('resolveAmityWebhookOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveAmityWebhookOptions({ secrets: 'abc' });
    expect(resolveAmityWebhookPath(undefined)).toBe('webhooks/amity');
    expect(resolved.bodyLimit).toBe(1024 * 1024);
    expect(resolved.bodyTimeoutMs).toBe(5000);
    expect(resolved.maxBufferedBytes).toBe(32 * 1024 * 1024);
    expect(resolved.strict).toBe(false);
    expect(resolved.concurrency).toBe(64);
    expect(resolved.maxQueueSize).toBe(10_000);
    expect(resolved.retries).toBe(2);
    expect(resolved.idempotency?.ttlMs).toBe(600_000);
    expect(AMITY_WEBHOOK_DEFAULTS.shutdownTimeoutMs).toBe(resolved.shutdownTimeoutMs);
    expect(resolved.secrets).toHaveLength(1);
    expect(resolved.secrets[0]).toMatchObject({ index: 0, label: 'webhook-0' });
  });

  it('splits a comma-separated string and keeps labels of secret objects', () => {
    expect(resolveAmityWebhookOptions({ secrets: ' a , b , c ' }).secrets.map((s) => s.label)).toEqual([
      'webhook-0',
      'webhook-1',
      'webhook-2',
    ]);
    const resolved = resolveAmityWebhookOptions({ secrets: ['x', { secret: 'y', label: 'eu-webhook' }] });
    expect(resolved.secrets.map((s) => [s.index, s.label])).toEqual([
      [0, 'webhook-0'],
      [1, 'eu-webhook'],
    ]);
  });

  it('normalises the path given as an extra', () => {
    expect(resolveAmityWebhookPath('/hooks/social-plus/')).toBe('hooks/social-plus');
  });

  it.each<[string, unknown, RegExp]>([
    ['a root path', '/', /must not be the root path/],
    ['a path with a query', '/hook?x=1', /plain URL path/],
    ['a path with a double slash', 'a//b', /plain URL path/],
  ])('refuses %s', (_case, path, message) => {
    expect(() => resolveAmityWebhookPath(path)).toThrow(message);
  });

  it('never keeps the secret text in the resolved options', () => {
    const resolved = resolveAmityWebhookOptions({ secrets: ['very-secret-value'] });
    expect(JSON.stringify(resolved)).not.toContain('very-secret-value');
  });

  it.each<[string, unknown, RegExp]>([
    ['missing options', undefined, /options are missing/],
    ['missing secrets', {}, /`secrets` is required/],
    ['an empty string', { secrets: '' }, /no webhook secret configured/],
    ['only commas', { secrets: ' , ,' }, /secret #0 is empty/],
    ['an empty item in a list', { secrets: 'a,,b' }, /secret #1 is empty/],
    ['a secret with surrounding spaces', { secrets: [' a '] }, /secret #0 starts or ends with whitespace/],
    ['an unknown option', { secrets: 'a', queues: {} }, /unknown option `queues`/],
    ['an extra returned by the factory', { secrets: 'a', path: 'x' }, /`path` shapes the module itself/],
    ['an empty array', { secrets: [] }, /no webhook secret configured/],
    ['an empty secret', { secrets: ['ok', '  '] }, /secret #1 is empty/],
    ['a non-string secret', { secrets: [42] }, /secret #0 is empty or not a string/],
    ['a duplicate label', { secrets: [{ secret: 'a', label: 'x' }, { secret: 'b', label: 'x' }] }, /share the label "x"/],
    ['a zero body limit', { secrets: 'a', bodyLimit: 0 }, /`bodyLimit` must be a positive integer/],
    ['a fractional concurrency', { secrets: 'a', concurrency: 1.5 }, /`concurrency` must be a positive integer/],
    ['a non-boolean strict', { secrets: 'a', strict: 'yes' }, /`strict` must be a boolean/],
  ])('fails with a message naming the module for %s', (_case, options, message) => {
    let error: unknown;
    try {
      resolveAmityWebhookOptions(options as AmityWebhookModuleOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AmityWebhookConfigError);
    expect((error as Error).message).toMatch(/^\[nestjs-amity-webhook\] AmityWebhookModule: /);
    expect((error as Error).message).toMatch(message);
  });
});
