import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { AmityRejectionLog } from './amity-rejection.log.js';

/**
 * Where every unit of the request path reports a request it refused: counted in
 * {@link AmityWebhookStats}, summarised for operators (one WARN per reason per minute, with
 * counts), and written per request at DEBUG. Reasons are fixed labels starting with the status;
 * details describe the request's shape and never hold a secret or a signature.
 */
@Injectable()
export class AmityWebhookRejections implements OnModuleDestroy {
  private readonly logger = new Logger('AmityWebhook');
  private readonly log = new AmityRejectionLog({
    warn: (message) => this.logger.warn(message),
    debug: (reason, detail) => this.logger.debug(`Rejected a webhook request: ${reason}${detail ? ` (${detail})` : ''}`),
  });

  constructor(private readonly stats: AmityWebhookStats) {}

  /**
   * Records one refused request.
   * @param reason e.g. `401 bad signature`
   * @param detail e.g. `header x-amity-signature, 44 chars`
   */
  record(reason: string, detail?: string): void {
    this.stats.rejected++;
    this.log.record(reason, detail);
  }

  onModuleDestroy(): void {
    this.log.close();
  }
}
