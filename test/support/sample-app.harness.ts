import { afterEach } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AmityWebhookDispatcher } from 'nestjs-amity-webhook';
import { AppModule } from '../../src/app.module.js';
import { CapturingLogger } from './capturing.logger.js';

/** Every environment variable the sample app reads. */
export const SAMPLE_APP_ENV_KEYS = [
  'AMITY_WEBHOOK_SECRETS',
  'MODERATION_BANNED_WORDS',
  'MODERATION_MAX_FLAGS',
  'ACTIVITY_MAX_ITEMS_PER_USER',
  'ACTIVITY_MAX_USERS',
  'NODE_ENV',
  // Durable mode: unset unless a test asks for it, so a shell that has them set changes no result.
  'AMITY_WEBHOOK_REDIS_URL',
  'AMITY_WEBHOOK_QUEUE_PREFIX',
  'AMITY_WEBHOOK_ROLE',
  'AMITY_WEBHOOK_SPOOL_DIR',
] as const;

/** Environment for one boot; keys left out are unset for that boot. */
export type SampleAppEnv = Partial<Record<(typeof SAMPLE_APP_ENV_KEYS)[number], string>>;

/** A running sample app. */
export interface SampleApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Await `dispatcher.onIdle()` after posting to know every accepted delivery reached the listeners. */
  readonly dispatcher: AmityWebhookDispatcher;
  readonly logger: CapturingLogger;
}

/**
 * Runs `boot` with exactly `env` for the app's variables (the others unset, whatever the shell
 * has), then restores `process.env` as it was. The app reads its configuration at boot only.
 */
async function withEnv<T>(env: SampleAppEnv, boot: () => Promise<T>): Promise<T> {
  const saved = new Map(SAMPLE_APP_ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of SAMPLE_APP_ENV_KEYS) {
    const value = key === 'NODE_ENV' ? (env[key] ?? 'test') : env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await boot();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * Boots the real `AppModule` on Fastify, as `main.ts` does, on a random local port, with `env`
 * as its environment. Close it with `app.close()`.
 */
export function startSampleApp(env: SampleAppEnv = {}): Promise<SampleApp> {
  return withEnv(env, async () => {
    const logger = new CapturingLogger();
    const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger, abortOnError: false });
    try {
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      await app.close();
      throw error;
    }
    const address = app.getHttpServer().address();
    if (address === null || typeof address !== 'object') throw new Error('the sample app is not listening on a TCP port');
    return { app, url: `http://127.0.0.1:${address.port}`, dispatcher: app.get(AmityWebhookDispatcher), logger };
  });
}

/**
 * For a describe block whose tests each boot their own app: returns `start(env)`, which boots the
 * app with `secret` (plus `env`), and closes whatever a test started once it ends.
 */
export function sampleAppPerTest(secret: string): (env?: SampleAppEnv) => Promise<SampleApp> {
  let current: SampleApp | undefined;
  afterEach(async () => {
    await current?.app.close();
    current = undefined;
  });
  return async (env = {}) => {
    current = await startSampleApp({ AMITY_WEBHOOK_SECRETS: secret, ...env });
    return current;
  };
}
