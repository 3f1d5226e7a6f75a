import { AMITY_WEBHOOK_PACKAGE } from '../amity-webhook.constants.js';

/**
 * Thrown at application boot when the module is misconfigured (no secret, an empty secret, a bad
 * path or limit, a host that cannot hand us the raw request bytes). The message names the package
 * and says what to change.
 */
export class AmityWebhookConfigError extends Error {
  constructor(message: string) {
    super(`[${AMITY_WEBHOOK_PACKAGE}] AmityWebhookModule: ${message}`);
    this.name = 'AmityWebhookConfigError';
  }
}
