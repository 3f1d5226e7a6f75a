import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AmityWebhookModule } from 'nestjs-amity-webhook';
import { ActivityModule } from './activity/activity.module.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { amityWebhookOptionsFromConfig } from './config/amity-webhook.config.js';
import { DatabaseModule } from './database/database.module.js';
import { ModerationModule } from './moderation/moderation.module.js';

/**
 * The sample host app: receives social.plus webhooks on `POST /webhooks/amity` and feeds three
 * use cases (analytics, moderation, activity feed) from the events the library emits. Their state
 * is in PostgreSQL (`DatabaseModule`: embedded PGlite unless `DATABASE_URL` is set), each
 * delivery's effect recorded once however often it is delivered.
 */
@Module({
  imports: [
    // A `.env` file is read, except under Jest (NODE_ENV=test): tests set the environment they need.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: process.env['NODE_ENV'] === 'test' }),
    // `wildcard` lets the analytics listener subscribe to `amity.**`.
    EventEmitterModule.forRoot({ wildcard: true }),
    AmityWebhookModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => amityWebhookOptionsFromConfig(config),
    }),
    DatabaseModule,
    AnalyticsModule,
    ModerationModule,
    ActivityModule,
  ],
})
export class AppModule {}
