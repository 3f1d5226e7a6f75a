import { Controller, Get } from '@nestjs/common';
import type { AnalyticsSummary } from './analytics-summary.interface.js';
import { AnalyticsService } from './analytics.service.js';

/** Read side of the analytics use case. */
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** `{ total, byEvent }` of the events accepted since the database was created. */
  @Get('summary')
  summary(): Promise<AnalyticsSummary> {
    return this.analytics.summary();
  }
}
