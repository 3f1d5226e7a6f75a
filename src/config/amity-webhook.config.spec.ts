import { describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import {
  DEVELOPMENT_WEBHOOK_SECRET,
  amityWebhookOptionsFromConfig,
  resolveWebhookSecrets,
} from './amity-webhook.config.js';

function configOf(env: Record<string, string>): ConfigService {
  return { get: (key: string) => env[key] } as unknown as ConfigService;
}

function recordingLogger() {
  const lines: Array<[string, string]> = [];
  const logger: LoggerService = {
    log: (message: unknown) => void lines.push(['log', String(message)]),
    warn: (message: unknown) => void lines.push(['warn', String(message)]),
    error: (message: unknown) => void lines.push(['error', String(message)]),
  };
  return { logger, lines };
}

describe('resolveWebhookSecrets', () => {
  it('splits a comma-separated list', () => {
    expect(resolveWebhookSecrets(' first , second ', undefined)).toEqual({ secrets: ['first', 'second'], developmentDefault: false });
  });

  it.each([undefined, ''])('falls back to the development default when the value is %p', (value) => {
    expect(resolveWebhookSecrets(value, 'development')).toEqual({ secrets: [DEVELOPMENT_WEBHOOK_SECRET], developmentDefault: true });
  });

  it.each([
    ['a,,b', /has an empty secret \(entry 2 of 3\): remove the extra comma/],
    ['a,', /has an empty secret \(entry 2 of 2\)/],
    [' , ', /is set but holds no secret/],
    ['   ', /is set but holds no secret/],
  ])('refuses %p, naming the variable, instead of dropping a secret or falling back', (value, message) => {
    expect(() => resolveWebhookSecrets(value, 'development')).toThrow(message);
    expect(() => resolveWebhookSecrets(value, 'development')).toThrow(/^AMITY_WEBHOOK_SECRETS /);
  });

  it('has no fallback in production', () => {
    expect(() => resolveWebhookSecrets(undefined, 'production')).toThrow(/AMITY_WEBHOOK_SECRETS must be set when NODE_ENV=production/);
  });

  it('refuses the development default in production, without printing it', () => {
    let error: unknown;
    try {
      resolveWebhookSecrets(`real,${DEVELOPMENT_WEBHOOK_SECRET}`, 'production');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/development default/);
    expect((error as Error).message).not.toContain(DEVELOPMENT_WEBHOOK_SECRET);
  });
});

describe('amityWebhookOptionsFromConfig', () => {
  it('warns that the development default is in use, without logging the secret', () => {
    const { logger, lines } = recordingLogger();
    expect(amityWebhookOptionsFromConfig(configOf({}), logger)).toEqual({ secrets: [DEVELOPMENT_WEBHOOK_SECRET] });
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toBe('warn');
    expect(lines[0]![1]).toMatch(/development default/);
    expect(lines[0]![1]).not.toContain(DEVELOPMENT_WEBHOOK_SECRET);
  });

  it('uses the configured secrets and only logs how many there are', () => {
    const { logger, lines } = recordingLogger();
    const options = amityWebhookOptionsFromConfig(configOf({ AMITY_WEBHOOK_SECRETS: 'alpha-secret,beta-secret' }), logger);
    expect(options).toEqual({ secrets: ['alpha-secret', 'beta-secret'] });
    expect(lines).toEqual([['log', 'Verifying webhooks with 2 secret(s) from AMITY_WEBHOOK_SECRETS']]);
  });
});
