import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { amityWebhookOptionsFromConfig } from './amity-webhook.config.js';
import { parseWebhookRole, resolveDurableMode } from './durable-mode.config.js';

const REDIS = 'redis://:secret-password@127.0.0.1:6379/2';

function configOf(env: Record<string, string>): ConfigService {
  return { get: (key: string) => env[key] } as unknown as ConfigService;
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('resolveDurableMode', () => {
  it('keeps the in-memory queue without AMITY_WEBHOOK_REDIS_URL, whatever else is set', () => {
    expect(resolveDurableMode({})).toEqual({ role: 'all', queue: undefined });
    expect(resolveDurableMode({ redisUrl: '  ', prefix: 'p', spoolDir: '/tmp/x' })).toEqual({ role: 'all', queue: undefined });
  });

  it('turns durable mode on with the default prefix and a spool under ./data', () => {
    expect(resolveDurableMode({ redisUrl: ` ${REDIS} ` })).toEqual({
      role: 'all',
      queue: { connection: REDIS, prefix: 'amity-webhook', worker: true, spoolDir: 'data/amity-spool/amity-webhook' },
    });
  });

  it('takes the prefix and spool folder given', () => {
    expect(resolveDurableMode({ redisUrl: 'rediss://cache:6380', prefix: 'shop:prod', spoolDir: '/var/lib/app/spool' }).queue).toEqual({
      connection: 'rediss://cache:6380',
      prefix: 'shop:prod',
      worker: true,
      spoolDir: '/var/lib/app/spool',
    });
  });

  it('splits the roles: a receiver stores only, a worker processes only and never spools', () => {
    expect(resolveDurableMode({ redisUrl: REDIS, role: 'receiver' })).toMatchObject({ role: 'receiver', queue: { worker: false, spoolDir: 'data/amity-spool/amity-webhook' } });
    expect(resolveDurableMode({ redisUrl: REDIS, role: 'worker', spoolDir: '/x' })).toMatchObject({ role: 'worker', queue: { worker: true, spoolDir: false } });
  });

  it.each(['receiver', 'worker'])('refuses AMITY_WEBHOOK_ROLE=%s without Redis', (role) => {
    expect(() => resolveDurableMode({ role })).toThrow(new RegExp(`^AMITY_WEBHOOK_ROLE=${role} splits the work .* set AMITY_WEBHOOK_REDIS_URL`));
  });

  it.each(['both', 'Worker', 'web'])('refuses AMITY_WEBHOOK_ROLE=%p, naming the variable and the roles', (role) => {
    expect(() => parseWebhookRole(role)).toThrow(/^AMITY_WEBHOOK_ROLE must be one of all, receiver, worker/);
  });

  it.each(['localhost:6379', 'http://127.0.0.1:6379', 'postgres://u:secret-password@h/db'])(
    'refuses AMITY_WEBHOOK_REDIS_URL=%p without printing it',
    (redisUrl) => {
      let message = '';
      try {
        resolveDurableMode({ redisUrl });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^AMITY_WEBHOOK_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      expect(message).not.toContain('secret-password');
    },
  );

  it('refuses a prefix BullMQ would not take, naming the variable', () => {
    expect(() => resolveDurableMode({ redisUrl: REDIS, prefix: 'a b' })).toThrow(/^AMITY_WEBHOOK_QUEUE_PREFIX must be/);
  });
});

describe('amityWebhookOptionsFromConfig in durable mode', () => {
  it('adds the queue option, and logs the prefix and role but not the URL', () => {
    const lines: string[] = [];
    const logger = { ...quiet, log: (message: unknown) => void lines.push(String(message)) };
    const options = amityWebhookOptionsFromConfig(
      configOf({ AMITY_WEBHOOK_SECRETS: 's1', AMITY_WEBHOOK_REDIS_URL: REDIS, AMITY_WEBHOOK_ROLE: 'receiver' }),
      logger,
    );
    expect(options).toEqual({ secrets: ['s1'], queue: { connection: REDIS, prefix: 'amity-webhook', worker: false, spoolDir: 'data/amity-spool/amity-webhook' } });
    expect(lines.join('\n')).toMatch(/Durable mode .* prefix amity-webhook .* role receiver/);
    expect(lines.join('\n')).not.toContain('secret-password');
  });

  it('gives a worker-only process a secret of its own: it verifies nothing, even in production', () => {
    const env = { NODE_ENV: 'production', AMITY_WEBHOOK_REDIS_URL: REDIS, AMITY_WEBHOOK_ROLE: 'worker' };
    const first = amityWebhookOptionsFromConfig(configOf(env), quiet);
    const second = amityWebhookOptionsFromConfig(configOf(env), quiet);
    expect(first.queue).toMatchObject({ worker: true, spoolDir: false });
    expect(first.secrets).toHaveLength(1);
    expect(first.secrets).not.toEqual(second.secrets);
  });

  it('still requires the secrets of a receiving process in production', () => {
    expect(() => amityWebhookOptionsFromConfig(configOf({ NODE_ENV: 'production', AMITY_WEBHOOK_REDIS_URL: REDIS }), quiet)).toThrow(
      /AMITY_WEBHOOK_SECRETS must be set/,
    );
  });
});
