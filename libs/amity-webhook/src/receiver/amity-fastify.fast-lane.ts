import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import { AMITY_ACK, type AmityWebhookReply } from './amity-webhook.reply.js';
import { AMITY_JSON_MEDIA_TYPE, AMITY_REPLY_CONTENT_TYPE, CONTENT_LENGTH_MISMATCH, MALFORMED_REQUEST, replyHeaders } from './amity-webhook.http.js';

type RequestListener = (this: unknown, req: IncomingMessage, res: ServerResponse) => void;

/** A canonical `Content-Length`: digits only, no sign, no leading zero (Node has checked the rest). */
const CONTENT_LENGTH = /^[1-9]\d{0,15}$/;

/** Headers of the acknowledgement, built once. */
const ACK_HEADERS = Object.freeze({ 'content-type': AMITY_REPLY_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(AMITY_ACK.body)) });

/** Where the fast lane stands on a server, for the log line and tests. */
export type AmityFastLaneState = 'installed' | 'off' | 'unsupported-server';

function writeReply(res: ServerResponse, reply: AmityWebhookReply): void {
  if (reply === AMITY_ACK) {
    res.writeHead(200, ACK_HEADERS);
  } else {
    res.writeHead(reply.status, { ...replyHeaders(reply), 'content-length': String(Buffer.byteLength(reply.body)) });
  }
  res.end(reply.body);
}

/**
 * Writes the reply, then lets the accepted delivery start. `end()` hands the bytes to the socket
 * before it returns, so listeners (scheduled with process.nextTick) never delay the ack.
 */
function answered(res: ServerResponse, reply: AmityWebhookReply, handler: AmityWebhookRequestHandler): void {
  writeReply(res, reply);
  if (reply === AMITY_ACK) handler.replied();
}

/**
 * The body length when the fast lane can take the request as it is, else `-1` (Fastify's router
 * then answers it, with the same handler or with its own specific error).
 */
function fastBodyLength(req: IncomingMessage, limit: number): number {
  const headers = req.headers;
  if (headers['transfer-encoding'] !== undefined) return -1;
  const type = headers['content-type'];
  if (type === undefined || !AMITY_JSON_MEDIA_TYPE.test(type)) return -1;
  const declared = headers['content-length'];
  if (declared === undefined || !CONTENT_LENGTH.test(declared)) return -1;
  const length = Number(declared);
  return length <= limit ? length : -1;
}

/** Reads the body (exactly `length` bytes, as Node's parser frames it), then answers. */
function serve(req: IncomingMessage, res: ServerResponse, length: number, handler: AmityWebhookRequestHandler): void {
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (first === undefined) first = chunk;
    else (chunks ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (received !== length || first === undefined) {
      writeReply(res, CONTENT_LENGTH_MISMATCH);
      return;
    }
    const raw = chunks === undefined ? first : Buffer.concat(chunks, received);
    let reply: AmityWebhookReply | Promise<AmityWebhookReply>;
    try {
      reply = handler.handle(req.headers, raw);
    } catch {
      // As the routed path's error handler answers: nothing of ours is a 5xx.
      writeReply(res, MALFORMED_REQUEST);
      return;
    }
    if (reply instanceof Promise) {
      reply.then(
        (settled) => answered(res, settled, handler),
        () => writeReply(res, MALFORMED_REQUEST),
      );
    } else {
      answered(res, reply, handler);
    }
  });
  // The client went away mid-body: there is no one to answer, and nothing was accepted.
  req.on('error', () => undefined);
}

/**
 * Puts the webhook route ahead of Fastify's router on `server`: the one `request` listener that
 * Fastify attached is wrapped, so `POST <path>` with a JSON body of declared length is read and
 * answered here with the same request handler as the routed path, and every other request goes
 * to Fastify unchanged. Applies to Node HTTP and HTTPS servers; anything else (HTTP/2, a server
 * with other request listeners) keeps the routed path only.
 */
export function installAmityFastLane(
  server: unknown,
  options: Pick<ResolvedAmityWebhookOptions, 'path' | 'bodyLimit' | 'fastLane' | 'allowlist'>,
  handler: AmityWebhookRequestHandler,
): AmityFastLaneState {
  if (!options.fastLane || options.allowlist !== undefined) return 'off';
  if (!(server instanceof HttpServer) && !(server instanceof HttpsServer)) return 'unsupported-server';
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) return 'unsupported-server';
  const fastify = listeners[0]!;
  const { path, bodyLimit } = options;
  const lane: RequestListener = function amityWebhookFastLane(this: unknown, req, res) {
    if (req.method === 'POST' && req.url === path) {
      const length = fastBodyLength(req, bodyLimit);
      if (length > 0) return serve(req, res, length, handler);
    }
    fastify.call(this, req, res);
  };
  server.removeListener('request', fastify);
  server.on('request', lane);
  return 'installed';
}
