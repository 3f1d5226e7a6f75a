export * from './admin-access.config.js';
export * from './dashboard-snapshot.interface.js';
export { METRICS_REGISTRY } from './metrics.registry.js';
export { MetricsModule } from './metrics.module.js';
export { ObservabilityModule } from './observability.module.js';
