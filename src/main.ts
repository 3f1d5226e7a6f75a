import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { serverSettingsFromConfig } from './config/server.config.js';

async function bootstrap(): Promise<void> {
  // abortOnError: false, so a configuration error exits with code 1 instead of process.abort().
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { abortOnError: false });
  // SIGTERM/SIGINT close the app, so the webhook module can finish the deliveries it accepted.
  app.enableShutdownHooks();
  const { port, host } = serverSettingsFromConfig(app.get(ConfigService));
  await app.listen(port, host);
  new Logger('Bootstrap').log(`Sample app listening on http://${host}:${port} (webhooks: POST /webhooks/amity)`);
}

bootstrap().catch((error: unknown) => {
  new Logger('Bootstrap').error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
