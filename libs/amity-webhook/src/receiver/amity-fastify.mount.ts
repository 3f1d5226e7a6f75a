import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import type { AmityWebhookReply } from './amity-webhook.reply.js';
import { installAmityFastLane, type AmityFastLaneState } from './amity-fastify.fast-lane.js';
import {
  AMITY_JSON_MEDIA_TYPE,
  AMITY_OTHER_METHODS,
  CONTENT_LENGTH_MISMATCH,
  MALFORMED_REQUEST,
  METHOD_NOT_ALLOWED,
  UNSUPPORTED_MEDIA_TYPE,
  payloadTooLarge,
  replyHeaders,
} from './amity-webhook.http.js';

function send(reply: FastifyReply, result: AmityWebhookReply): FastifyReply {
  return reply.code(result.status).headers(replyHeaders(result)).send(result.body);
}

/** Maps Fastify's body errors to specific answers; nothing of ours is a 5xx. */
function errorReply(error: FastifyError, bodyLimit: number): AmityWebhookReply {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return UNSUPPORTED_MEDIA_TYPE;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return CONTENT_LENGTH_MISMATCH;
    default:
      return MALFORMED_REQUEST;
  }
}

/**
 * Mounts the webhook route on Fastify inside its own encapsulated scope: a buffer parser for JSON
 * types replaces the host's parsers there only, so the exact bytes reach the handler and every
 * other route of the host keeps its parsing. Then, unless `fastLane` is off, the same handler is
 * also put ahead of Fastify's router for the common case (see installAmityFastLane).
 */
export function mountAmityWebhookOnFastify(
  instance: FastifyInstance,
  options: ResolvedAmityWebhookOptions,
  handler: AmityWebhookRequestHandler,
): AmityFastLaneState {
  const { path, bodyLimit, allowlist } = options;
  void instance.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(AMITY_JSON_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((error: FastifyError, _req, reply) => send(reply, errorReply(error, bodyLimit)));
    if (allowlist) {
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
      return send(reply, result);
    });
    scope.route({ method: [...AMITY_OTHER_METHODS], url: path, handler: (_req, reply) => send(reply.header('allow', 'POST'), METHOD_NOT_ALLOWED) });
  });
  return installAmityFastLane(instance.server, options, handler);
}
