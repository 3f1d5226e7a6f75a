import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import type { AmityWebhookReply } from './amity-webhook.reply.js';
import { amityErrorReply } from './amity-webhook.reply.js';
import {
  AMITY_JSON_MEDIA_TYPE,
  AMITY_OTHER_METHODS,
  CONTENT_LENGTH_MISMATCH,
  METHOD_NOT_ALLOWED,
  UNSUPPORTED_MEDIA_TYPE,
  payloadTooLarge,
  replyHeaders,
} from './amity-webhook.http.js';

/** The parts of an Express 4/5 app and request the mount uses (no dependency on express itself). */
interface ExpressLikeRequest extends IncomingMessage {
  ip?: string;
  rawBody?: unknown;
  /** Set by body-parser once it consumed the stream. */
  _body?: boolean;
}
type ExpressHandler = (req: ExpressLikeRequest, res: ServerResponse) => void;
interface ExpressLikeRoute {
  post(handler: ExpressHandler): ExpressLikeRoute;
  all(handler: ExpressHandler): ExpressLikeRoute;
  [method: string]: unknown;
}
interface ExpressLikeLayer {
  name?: string;
  route?: { path?: unknown };
}
/** An Express application, as `ExpressAdapter.getInstance()` returns it. */
export interface ExpressLikeApp {
  route(path: string): ExpressLikeRoute;
  router?: { stack?: ExpressLikeLayer[] };
  _router?: { stack?: ExpressLikeLayer[] };
}

const RAW_BODY_UNAVAILABLE = amityErrorReply(
  500,
  'nestjs-amity-webhook: the request body was consumed before the webhook route; enable { rawBody: true } or let the module mount its route first',
);

function send(res: ServerResponse, reply: AmityWebhookReply, extra?: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(reply.status, extra ? { ...replyHeaders(reply), ...extra } : replyHeaders(reply));
  res.end(reply.body);
}

/** Answers without reading the rest of a body we refuse, and closes that connection. */
function refuse(req: IncomingMessage, res: ServerResponse, reply: AmityWebhookReply): void {
  send(res, reply, { connection: 'close' });
  req.resume();
}

/**
 * Reads the exact bytes of the body, up to `limit`, on this route only.
 * Calls back `undefined` for a request without a body.
 */
function readRaw(req: IncomingMessage, res: ServerResponse, limit: number, done: (raw: Buffer | undefined) => void): void {
  const declared = req.headers['content-length'];
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && !(Number.isInteger(length) && length >= 0)) return refuse(req, res, CONTENT_LENGTH_MISMATCH);
  if (length !== undefined && length > limit) return refuse(req, res, payloadTooLarge(limit));
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > limit) {
      failed = true;
      send(res, payloadTooLarge(limit), { connection: 'close' });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (failed) return;
    if (length !== undefined && size !== length) return send(res, CONTENT_LENGTH_MISMATCH);
    done(size === 0 ? undefined : Buffer.concat(chunks, size));
  });
  req.on('error', () => {
    failed = true;
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Mounts the webhook route on Express, reading the raw bytes itself on that route only (no global
 * `rawBody`, no change to the host's body parsers). The route is placed before the host's
 * parsers, so they never see its requests; if a parser ran first anyway, `req.rawBody` is used
 * when the host enabled it.
 */
export function mountAmityWebhookOnExpress(
  app: ExpressLikeApp,
  options: ResolvedAmityWebhookOptions,
  handler: AmityWebhookRequestHandler,
): () => string | undefined {
  const { path, bodyLimit } = options;
  const respond = (res: ServerResponse, result: AmityWebhookReply | Promise<AmityWebhookReply>): void => {
    if (result instanceof Promise) void result.then((r) => send(res, r));
    else send(res, result);
  };
  const route = app.route(path);
  route.post((req, res) => {
    const refused = handler.checkSource(req.ip ?? req.socket.remoteAddress);
    if (refused) return refuse(req, res, refused);
    if (req._body === true || req.readableEnded) {
      // Someone parsed the body before us: only the host's rawBody can still be verified.
      if (Buffer.isBuffer(req.rawBody)) return respond(res, handler.handle(req.headers, req.rawBody));
      return send(res, RAW_BODY_UNAVAILABLE);
    }
    if (hasBody(req)) {
      const type = req.headers['content-type'];
      if (type === undefined || !AMITY_JSON_MEDIA_TYPE.test(type)) return refuse(req, res, UNSUPPORTED_MEDIA_TYPE);
    }
    readRaw(req, res, bodyLimit, (raw) => respond(res, handler.handle(req.headers, raw)));
  });
  for (const method of AMITY_OTHER_METHODS) {
    const register = route[method.toLowerCase()] as (h: ExpressHandler) => unknown;
    register.call(route, (_req: ExpressLikeRequest, res: ServerResponse) => send(res, METHOD_NOT_ALLOWED, { allow: 'POST' }));
  }
  // Nest registers its JSON/urlencoded parsers with app.use() when the app initialises; if they
  // are already in the stack (the module was instantiated late), move our route ahead of them.
  const stack = (app.router ?? app._router)?.stack;
  if (stack) {
    const index = stack.findIndex((layer) => layer.route?.path === path);
    if (index > 0) stack.unshift(...stack.splice(index, 1));
  }
  return () => expressSelfCheck(app, path);
}

/** Body parsers that would consume the stream before the webhook route could read it. */
const BODY_PARSERS = new Set(['jsonParser', 'urlencodedParser', 'rawParser', 'textParser', 'bodyParser']);

/**
 * The boot-time self-check: `undefined` when no body parser runs before the webhook route, else
 * what to fix. (A parser added ahead of the route would hand it an already consumed stream.)
 */
export function expressSelfCheck(app: ExpressLikeApp, path: string): string | undefined {
  const stack = (app.router ?? app._router)?.stack ?? [];
  const route = stack.findIndex((layer) => layer.route?.path === path);
  if (route < 0) return `the webhook route ${path} is missing from the Express router`;
  const parser = stack.slice(0, route).find((layer) => layer.name !== undefined && BODY_PARSERS.has(layer.name));
  return parser
    ? `the body parser "${parser.name}" runs before the webhook route ${path}, so the raw bytes cannot be verified; register it after the app is created, or scope it to your own routes`
    : undefined;
}
