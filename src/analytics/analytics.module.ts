import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller.js';
import { AnalyticsListener } from './analytics.listener.js';
import { AnalyticsService } from './analytics.service.js';

/** Analytics use case: counts every accepted social.plus event; `GET /analytics/summary`. */
@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnalyticsListener],
  exports: [AnalyticsService],
})
export class AnalyticsModule {}
