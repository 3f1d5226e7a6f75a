import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AmityWebhookModule } from 'nestjs-amity-webhook';
import type { Registry } from 'prom-client';
import { activityConfig } from './activity/activity.config.js';
import { ActivityModule } from './activity/activity.module.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { amityWebhookOptionsFromConfig } from './config/amity-webhook.config.js';
import { databaseConfig } from './database/database.config.js';
import { DatabaseModule } from './database/database.module.js';
import { moderationConfig } from './moderation/moderation.config.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { METRICS_REGISTRY } from './observability/metrics.registry.js';
import { MetricsModule } from './observability/metrics.module.js';
import { ObservabilityModule } from './observability/observability.module.js';

/**
 * The sample host app: receives social.plus webhooks on `POST /webhooks/amity` and feeds three
 * use cases (analytics, moderation, activity feed) from the events the library emits. Their state
 * is in PostgreSQL (`DatabaseModule`: embedded PGlite unless `DATABASE_URL` is set), each
 * delivery's effect recorded once however often it is delivered.
 */
@Module({
  imports: [
    // A `.env` file is read, except under Jest (NODE_ENV=test): tests set the environment they need.
    // The features' settings are loaded here, once, rather than by ConfigModule.forFeature in each.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: process.env['NODE_ENV'] === 'test', load: [databaseConfig, activityConfig, moderationConfig] }),
    // `wildcard` lets the analytics listener subscribe to `amity.**`.
    EventEmitterModule.forRoot({ wildcard: true }),
    AmityWebhookModule.forRootAsync({
      // Global, so the observability module can read its health, counters and queue.
      isGlobal: true,
      imports: [MetricsModule],
      inject: [ConfigService, METRICS_REGISTRY],
      useFactory: (config: ConfigService, registry: Registry) => ({ ...amityWebhookOptionsFromConfig(config), metrics: { registry } }),
    }),
    DatabaseModule,
    AnalyticsModule,
    ModerationModule,
    ActivityModule,
    ObservabilityModule,
  ],
})
export class AppModule {}
