import { ConsoleLogger, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { AMITY_WEBHOOK_SECRETS_ENV, resolveWebhookSecrets } from './config/amity-webhook.config.js';
import { durableModeFromConfig } from './config/durable-mode.config.js';
import { hostForUrl, serverSettingsFromConfig } from './config/server.config.js';

/** Colours for a terminal only: redirected logs (files, CI, log shippers) get plain text. */
function colorsWanted(): boolean {
  return process.stdout.isTTY === true && !process.env['NO_COLOR'];
}

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger({ colors: colorsWanted() });
  let app: NestFastifyApplication;
  try {
    // abortOnError: false, so a configuration error exits with code 1 instead of process.abort().
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { abortOnError: false, logger });
  } catch {
    // Nest has logged the error (ExceptionHandler) before rethrowing it: once is enough.
    process.exitCode = 1;
    return;
  }
  try {
    // SIGTERM/SIGINT close the app, so the webhook module can finish the deliveries it accepted.
    app.enableShutdownHooks();
    const config = app.get(ConfigService);
    if (durableModeFromConfig(config).role === 'worker') {
      // Initialised (listeners registered, worker started) but never listening: no request reaches a worker.
      await app.init();
      new Logger('Bootstrap').log('Worker-only process (AMITY_WEBHOOK_ROLE=worker): processing stored deliveries, serving no HTTP');
      return;
    }
    const { developmentDefault } = resolveWebhookSecrets(config.get<string>(AMITY_WEBHOOK_SECRETS_ENV), config.get<string>('NODE_ENV'));
    const { port, host, loopbackOnly } = serverSettingsFromConfig(config, { developmentSecret: developmentDefault });
    await app.listen(port, host);
    const bootstrapLogger = new Logger('Bootstrap');
    bootstrapLogger.log(`Sample app listening on http://${hostForUrl(host)}:${port} (webhooks: POST /webhooks/amity)`);
    if (loopbackOnly) {
      bootstrapLogger.warn(
        `Listening on loopback only because the development secret is in use: set ${AMITY_WEBHOOK_SECRETS_ENV} to accept webhooks from other machines`,
      );
    }
  } catch (error) {
    new Logger('Bootstrap').error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    await app.close();
  }
}

void bootstrap();
