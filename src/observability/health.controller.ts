import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { AmityWebhookHealthIndicator } from 'nestjs-amity-webhook';

/** `GET /health`: terminus JSON, `200 {"status":"ok",...}` when healthy and `503` otherwise, open to probes. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly webhooks: AmityWebhookHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.webhooks.isHealthy('amity-webhook')]);
  }
}
