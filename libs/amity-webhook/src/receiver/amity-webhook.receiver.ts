import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AmityWebhookDispatcher } from '../dispatch/amity-webhook.dispatcher.js';
import { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import { mountAmityWebhookOnExpress, type ExpressLikeApp } from './amity-express.mount.js';
import { mountAmityWebhookOnFastify } from './amity-fastify.mount.js';

/**
 * Mounts `POST /<path>` directly on the HTTP adapter (Fastify or Express), reading the exact bytes
 * on that route only. Nest's router (guards, pipes, interceptors) is not on this path: the request
 * is verified, parsed, queued and answered, and everything else happens after the reply.
 */
@Injectable()
export class AmityWebhookReceiver implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('AmityWebhook');
  private readonly handler: AmityWebhookRequestHandler;
  private mounted = false;
  /** Verifies, once the app is assembled, that the route still gets the raw bytes. */
  private selfCheck: (() => string | undefined) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    dispatcher: AmityWebhookDispatcher,
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
  ) {
    const stats = dispatcher.stats;
    this.handler = new AmityWebhookRequestHandler(options, dispatcher, {
      legacyDuplicate: () => {
        stats.legacyDuplicates++;
        this.logger.debug('Acknowledged a legacy x-eko-signature duplicate without dispatching it');
      },
      duplicate: (delivery) => {
        stats.duplicates++;
        this.logger.debug(`Acknowledged a duplicate ${delivery.event} delivery without dispatching it again`);
      },
      rejected: (reply) => {
        stats.rejected++;
        this.logger.debug(`Rejected a webhook request with ${reply.status}`);
      },
      overflow: (delivery, handedOff) => {
        stats.overflowed++;
        this.logger.error(
          handedOff
            ? `Webhook queue full (maxQueueSize ${options.maxQueueSize}): ${delivery.event} handed to onOverflow`
            : `Webhook queue full (maxQueueSize ${options.maxQueueSize}): ${delivery.event} refused with 503`,
        );
      },
      storeFailed: (error) =>
        this.logger.warn(`Idempotency store failed (${error instanceof Error ? error.message : String(error)}); dispatching anyway`),
    });
    // Express: mount now, while the app is being created and before Nest adds its body parsers.
    if (this.adapterHost.httpAdapter?.getType() === 'express') this.mount();
  }

  onModuleInit(): void {
    if (!this.mounted) this.mount();
  }

  /** Fails the boot, with what to change, if raw-body capture cannot work in this app. */
  onApplicationBootstrap(): void {
    const problem = this.selfCheck?.();
    if (problem) throw new AmityWebhookConfigError(problem);
  }

  private mount(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) {
      throw new AmityWebhookConfigError('no HTTP adapter found: the module needs an HTTP application (NestFactory.create).');
    }
    const type = adapter.getType();
    let how: string = type;
    if (type === 'fastify') {
      const lane = mountAmityWebhookOnFastify(adapter.getInstance<FastifyInstance>(), this.options, this.handler);
      how = lane === 'installed' ? 'fastify, fast lane' : lane === 'off' ? 'fastify, routed' : 'fastify, routed: fast lane unsupported on this server';
    } else if (type === 'express') {
      this.selfCheck = mountAmityWebhookOnExpress(adapter.getInstance<ExpressLikeApp>(), this.options, this.handler);
    } else {
      throw new AmityWebhookConfigError(
        `the "${type}" HTTP adapter is not supported: the module reads the raw request bytes on Fastify (@nestjs/platform-fastify) or Express (@nestjs/platform-express).`,
      );
    }
    this.mounted = true;
    this.logger.log(`Receiving social.plus webhooks on POST ${this.options.path} (${how})`);
  }
}
