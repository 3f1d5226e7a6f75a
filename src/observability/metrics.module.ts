import { Module } from '@nestjs/common';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics.registry.js';

/** Holds the app's Prometheus registry; imported by the webhook module's factory and by `ObservabilityModule`. */
@Module({
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
