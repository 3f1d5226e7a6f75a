import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ModerationModule } from '../moderation/moderation.module.js';
import { AdminAccessGuard } from './admin-access.guard.js';
import { BullBoardMount } from './bull-board.mount.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardFeed } from './dashboard.feed.js';
import { DashboardService } from './dashboard.service.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsModule } from './metrics.module.js';

/**
 * What an operator looks at: `GET /metrics` (Prometheus) and `GET /health` (terminus), open to
 * scrapers and probes, the dashboard at `GET /` and, in durable mode, Bull Board at `/admin/queues`
 * (`BullBoardMount`), both behind `AdminAccessGuard`. Needs the webhook
 * module registered with `isGlobal: true` and `metrics: { registry }` from `MetricsModule`.
 */
@Module({
  imports: [TerminusModule, MetricsModule, ModerationModule],
  controllers: [MetricsController, HealthController, DashboardController],
  providers: [AdminAccessGuard, DashboardFeed, DashboardService, BullBoardMount],
})
export class ObservabilityModule {}
