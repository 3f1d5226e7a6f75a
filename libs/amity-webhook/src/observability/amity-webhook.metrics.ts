import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AMITY_DELIVERY_QUEUE, type AmityDeliveryQueue } from '../queue/amity-delivery.queue.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { installAmityMetrics, type AmityInstalledMetrics } from './amity-metrics.installer.js';
import { loadAmityPromClient } from './amity-metrics.loader.js';
import { amityQueueAdmin } from './amity-queue.inspection.js';

/**
 * Prometheus metrics of the module (option `metrics`): registers them on the host's registry when
 * the module starts and removes them when it stops. Does nothing, and loads nothing, when
 * `metrics` is off. The names are in `AMITY_METRIC_NAMES`.
 */
@Injectable()
export class AmityWebhookMetrics implements OnModuleInit, OnModuleDestroy {
  private installed: AmityInstalledMetrics | undefined;

  constructor(
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    private readonly stats: AmityWebhookStats,
    @Inject(AMITY_DELIVERY_QUEUE) private readonly queue: AmityDeliveryQueue,
  ) {}

  /** Whether the metrics are registered (the `metrics` option is on). */
  get enabled(): boolean {
    return this.installed !== undefined;
  }

  async onModuleInit(): Promise<void> {
    const settings = this.options.metrics;
    if (settings === undefined || this.installed) return;
    const prom = await loadAmityPromClient();
    const admin = amityQueueAdmin(this.queue);
    // The option is typed without naming prom-client; what it holds is the host's prom-client Registry.
    this.installed = installAmityMetrics(prom, (settings.registry as Parameters<typeof installAmityMetrics>[1] | undefined) ?? prom.register, {
      stats: this.stats,
      backlog: () => this.queue.backlog(),
      deadLetters: admin && (async () => (await admin.stats()).failed),
    });
  }

  onModuleDestroy(): void {
    this.installed?.uninstall();
    this.installed = undefined;
  }
}
