import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyError } from 'fastify';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AmityWebhookDispatcher } from '../dispatch/amity-webhook.dispatcher.js';
import { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import { amityErrorReply, type AmityWebhookReply } from './amity-webhook.reply.js';

const JSON_TYPE = 'application/json; charset=utf-8';
/** `application/json` and structured-syntax JSON types (`application/x+json`), any parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

/**
 * Mounts `POST /<path>` directly on the HTTP adapter, with a body parser scoped to that route that
 * keeps the exact bytes. Nest's router (guards, pipes, interceptors) is not on this path: the
 * request is verified, parsed, queued and answered, and everything else happens after the reply.
 */
@Injectable()
export class AmityWebhookReceiver implements OnModuleInit {
  private readonly logger = new Logger('AmityWebhook');
  private readonly handler: AmityWebhookRequestHandler;

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
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) {
      throw new AmityWebhookConfigError('no HTTP adapter found: the module needs an HTTP application (NestFactory.create).');
    }
    const type = adapter.getType();
    if (type !== 'fastify') {
      throw new AmityWebhookConfigError(
        `the "${type}" HTTP adapter cannot give the module the raw request bytes it verifies signatures on; use @nestjs/platform-fastify.`,
      );
    }
    this.mountFastify(adapter.getInstance<FastifyInstance>());
    this.logger.log(`Receiving social.plus webhooks on POST ${this.options.path}`);
  }

  private mountFastify(instance: FastifyInstance): void {
    const { path, bodyLimit } = this.options;
    const handler = this.handler;
    void instance.register(async (scope) => {
      // Route-scoped parsing: only this route keeps the raw bytes; the host's parsers are untouched.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
      scope.setErrorHandler((error: FastifyError, _req, reply) => send(reply, errorReply(error, bodyLimit)));
      if (this.options.allowlist) {
        // Before the body is read: a refused source costs no parsing.
        scope.addHook('onRequest', (req, reply, done) => {
          const refused = handler.checkSource(req.ip);
          if (refused) send(reply, refused);
          else done();
        });
      }
      scope.post(path, (req: FastifyRequest, reply: FastifyReply) => {
        const result = handler.handle(req.headers, req.body as Buffer | undefined);
        if (result instanceof Promise) return result.then((r) => send(reply, r));
        send(reply, result);
        return reply;
      });
      scope.route({
        method: ['GET', 'PUT', 'PATCH', 'DELETE'],
        url: path,
        handler: (_req, reply) => {
          void reply.header('allow', 'POST');
          send(reply, amityErrorReply(405, 'Use POST to deliver social.plus webhooks'));
        },
      });
    });
  }
}

function send(reply: FastifyReply, result: AmityWebhookReply): FastifyReply {
  if (result.status === 503) void reply.header('retry-after', '1');
  return reply.code(result.status).header('content-type', JSON_TYPE).send(result.body);
}

/** Maps Fastify's body errors to specific answers; nothing of ours is a 5xx. */
function errorReply(error: FastifyError, bodyLimit: number): AmityWebhookReply {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return amityErrorReply(413, `Body exceeds the limit of ${bodyLimit} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return amityErrorReply(415, 'Content-Type must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return amityErrorReply(400, 'Content-Length does not match the body');
    default: {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      return amityErrorReply(status, 'Malformed request');
    }
  }
}
