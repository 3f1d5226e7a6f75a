import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AMITY_WEBHOOK_PACKAGE } from '../amity-webhook.constants.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { amityTraceObserver, type AmityOtelApi } from './amity-trace.observer.js';

/**
 * Spans of the pipeline through `@opentelemetry/api` (see `amityTraceObserver`). The API is an
 * optional peer: when it is not installed nothing is traced; when it is, its spans are no-ops
 * until the host registers an OpenTelemetry SDK, which decides what is recorded and exported.
 */
@Injectable()
export class AmityWebhookTracing implements OnModuleInit, OnModuleDestroy {
  private stop: (() => void) | undefined;

  constructor(private readonly stats: AmityWebhookStats) {}

  async onModuleInit(): Promise<void> {
    if (this.stop) return;
    const api = await loadOtelApi();
    if (api === undefined) return;
    this.stop = this.stats.observe(amityTraceObserver(api, api.trace.getTracer(AMITY_WEBHOOK_PACKAGE)));
  }

  onModuleDestroy(): void {
    this.stop?.();
    this.stop = undefined;
  }
}

async function loadOtelApi(): Promise<AmityOtelApi | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
