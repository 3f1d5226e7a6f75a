import { Logger, type LoggerService } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { AmityWebhookModuleOptions } from 'nestjs-amity-webhook';
import { AMITY_WEBHOOK_REDIS_URL_ENV, durableModeFromConfig, unusedWorkerSecret } from './durable-mode.config.js';

/** Environment variable holding the webhook secrets, comma-separated (several during a rotation). */
export const AMITY_WEBHOOK_SECRETS_ENV = 'AMITY_WEBHOOK_SECRETS';

/**
 * Secret the sample app falls back to when `AMITY_WEBHOOK_SECRETS` is unset, so that
 * `npm start` works on a fresh machine. It is public (it is in this file and in the README):
 * never use it for an app reachable by anyone else. Refused when `NODE_ENV=production`.
 */
export const DEVELOPMENT_WEBHOOK_SECRET = 'dev-secret-change-me';

/** Which secrets the app verifies with, and whether they are the development default. */
export interface WebhookSecretsSetting {
  readonly secrets: readonly string[];
  readonly developmentDefault: boolean;
}

/**
 * Splits `AMITY_WEBHOOK_SECRETS`. Unset or empty (`AMITY_WEBHOOK_SECRETS=` in `.env`) means not
 * configured; spaces around each secret are ignored (`old, new`). Anything else that holds an
 * empty secret (`a,,b`, `a,`, ` , `) fails the boot: a typo must not quietly drop a secret, nor
 * fall back to the development default.
 */
export function parseWebhookSecrets(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const secrets = value.split(',').map((secret) => secret.trim());
  const empty = secrets.findIndex((secret) => secret === '');
  if (empty !== -1) {
    throw new Error(
      secrets.every((secret) => secret === '')
        ? `${AMITY_WEBHOOK_SECRETS_ENV} is set but holds no secret: give your social.plus webhook secret(s), comma-separated, or leave it empty`
        : `${AMITY_WEBHOOK_SECRETS_ENV} has an empty secret (entry ${empty + 1} of ${secrets.length}): remove the extra comma`,
    );
  }
  return secrets;
}

/**
 * Decides which secrets to verify webhooks with. Pure, so it is tested without Nest.
 *
 * @param value the raw `AMITY_WEBHOOK_SECRETS` value
 * @param nodeEnv the raw `NODE_ENV` value: in production there is no fallback
 */
export function resolveWebhookSecrets(value: string | undefined, nodeEnv: string | undefined): WebhookSecretsSetting {
  const production = nodeEnv === 'production';
  const configured = parseWebhookSecrets(value);
  if (configured) {
    if (production && configured.includes(DEVELOPMENT_WEBHOOK_SECRET)) {
      throw new Error(`${AMITY_WEBHOOK_SECRETS_ENV} contains the development default secret, which is refused when NODE_ENV=production`);
    }
    return { secrets: configured, developmentDefault: false };
  }
  if (production) {
    throw new Error(`${AMITY_WEBHOOK_SECRETS_ENV} must be set when NODE_ENV=production (the secret(s) of your social.plus webhooks, comma-separated)`);
  }
  return { secrets: [DEVELOPMENT_WEBHOOK_SECRET], developmentDefault: true };
}

/**
 * `useFactory` of `AmityWebhookModule.forRootAsync`: reads the secrets through `ConfigService`
 * (so `.env` works) and warns, without printing it, when the development default is in use. With
 * `AMITY_WEBHOOK_REDIS_URL` it adds the durable `queue` for this process's `AMITY_WEBHOOK_ROLE`
 * (see `durable-mode.config.ts`); a worker-only process verifies nothing and needs no secret.
 */
export function amityWebhookOptionsFromConfig(
  config: ConfigService,
  logger: LoggerService = new Logger('AmityWebhookConfig'),
): AmityWebhookModuleOptions {
  const { role, queue } = durableModeFromConfig(config);
  if (queue) {
    logger.log(
      `Durable mode (${AMITY_WEBHOOK_REDIS_URL_ENV}): deliveries are stored in Redis under the prefix ${queue.prefix} before the ack; ` +
        `role ${role}` +
        (role === 'all' ? ' (receives and processes)' : role === 'receiver' ? ' (receives only: worker processes call the listeners)' : ' (processes only, no HTTP)'),
    );
  }
  // The events carry the webhook that matched when the receiver verified them.
  if (role === 'worker') return { secrets: [unusedWorkerSecret()], queue };
  const { secrets, developmentDefault } = resolveWebhookSecrets(
    config.get<string>(AMITY_WEBHOOK_SECRETS_ENV),
    config.get<string>('NODE_ENV'),
  );
  if (developmentDefault) {
    logger.warn(
      `${AMITY_WEBHOOK_SECRETS_ENV} is not set: verifying webhooks with the built-in development default secret. ` +
        'It is published with this code, so anyone can sign requests with it: the app listens on loopback only ' +
        `until ${AMITY_WEBHOOK_SECRETS_ENV} holds your social.plus webhook secret(s).`,
    );
  } else {
    logger.log(`Verifying webhooks with ${secrets.length} secret(s) from ${AMITY_WEBHOOK_SECRETS_ENV}`);
  }
  return queue ? { secrets, queue } : { secrets };
}
