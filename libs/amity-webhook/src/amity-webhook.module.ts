import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from './amity-webhook.constants.js';
import { AMITY_WEBHOOK_MODULE_OPTIONS, AmityWebhookConfigurableModule } from './amity-webhook.module-definition.js';
import { AmityListenerExplorer } from './dispatch/amity-listener.explorer.js';
import { AmityWebhookDispatcher } from './dispatch/amity-webhook.dispatcher.js';
import { AmityWebhookGuard } from './guard/amity-webhook.guard.js';
import type { AmityWebhookModuleOptions } from './interfaces/amity-webhook-options.interface.js';
import { resolveAmityWebhookOptions } from './options/amity-webhook-options.resolver.js';
import { AmityWebhookReceiver } from './receiver/amity-webhook.receiver.js';

/**
 * Receives social.plus (formerly Amity) webhooks: verifies `x-amity-signature` on the raw bytes,
 * answers `200 {}` at once, and emits each accepted event on the host's `EventEmitter2` as
 * `amity.<event>`. Needs `EventEmitterModule.forRoot({ wildcard: true })` in the host app.
 *
 * @example
 * AmityWebhookModule.forRoot({ secrets: process.env.AMITY_WEBHOOK_SECRETS! })
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: AMITY_WEBHOOK_RESOLVED_OPTIONS,
      useFactory: (options: AmityWebhookModuleOptions) => resolveAmityWebhookOptions(options),
      inject: [AMITY_WEBHOOK_MODULE_OPTIONS],
    },
    AmityWebhookDispatcher,
    AmityListenerExplorer,
    AmityWebhookReceiver,
    AmityWebhookGuard,
  ],
  // The resolved options are exported so `@UseGuards(AmityWebhookGuard)` resolves in host modules.
  exports: [AmityWebhookDispatcher, AmityWebhookGuard, AMITY_WEBHOOK_RESOLVED_OPTIONS],
})
export class AmityWebhookModule extends AmityWebhookConfigurableModule {}
