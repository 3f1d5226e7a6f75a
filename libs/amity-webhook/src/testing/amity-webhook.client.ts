import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { signAmityFixture } from './amity-fixture.factory.js';

/** Options of {@link sendAmityWebhook}. */
export interface SendAmityWebhookOptions {
  /** The webhook secret to sign with. */
  secret: string;
  /**
   * Path of the webhook route, with the app's global prefix if it has one (`/api/webhooks/amity`
   * after `app.setGlobalPrefix('api')`).
   * @default '/webhooks/amity'
   */
  path?: string;
  /** Extra or replacing headers, applied last (e.g. a wrong `x-amity-signature`). */
  headers?: Record<string, string>;
}

/** What the receiver answered. */
export interface AmityWebhookResponse {
  /** HTTP status (`200` when accepted). */
  readonly status: number;
  /** Response body as text (`{}` when accepted). */
  readonly body: string;
  /** Response headers. */
  readonly headers: Headers;
}

interface OutgoingRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Fastify's `ready()` (public API, typed here to keep Fastify optional). */
interface FastifyReady {
  ready(): Promise<unknown>;
}

const DEFAULT_PATH = '/webhooks/amity';

async function post(base: string, request: OutgoingRequest): Promise<AmityWebhookResponse> {
  const response = await fetch(new URL(request.path, base), { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

function baseUrlOf(address: { address: string; family: string; port: number }): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = address.family === 'IPv6' && !wildcard ? `[${address.address}]` : wildcard ? '127.0.0.1' : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * An app that was only initialised: its own HTTP server listens on an ephemeral loopback port for
 * the requests in flight, and is closed again once the last one is answered, so that the test's
 * `app.close()` finds it as `init()` left it. Concurrent sends share one listen. (Not Fastify's
 * `inject`: its request library loads an ESM-only dependency that Jest cannot `require` on Node 20.)
 */
const ephemeral = new WeakMap<Server, { users: number; base: Promise<string> }>();

async function throughEphemeralListen(server: Server, request: OutgoingRequest): Promise<AmityWebhookResponse> {
  let entry = ephemeral.get(server);
  if (!entry) {
    const base = new Promise<string>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(baseUrlOf(server.address() as { address: string; family: string; port: number }));
      });
    });
    entry = { users: 0, base };
    ephemeral.set(server, entry);
  }
  entry.users += 1;
  try {
    return await post(await entry.base, request);
  } finally {
    entry.users -= 1;
    if (entry.users === 0) {
      ephemeral.delete(server);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of fetch would hold close() open until they time out.
        server.closeAllConnections();
      });
    }
  }
}

async function sendToApp(app: INestApplication, request: OutgoingRequest): Promise<AmityWebhookResponse> {
  const server = app.getHttpServer() as Server;
  const address = server.address();
  if (address !== null && typeof address === 'object') return post(baseUrlOf(address), request);
  if (typeof address === 'string') {
    throw new Error(`[nestjs-amity-webhook] sendAmityWebhook: the app listens on a pipe (${address}); pass the URL of a TCP listener instead`);
  }
  const adapter = app.getHttpAdapter();
  // Fastify serves requests once its plugins have loaded, which listen() would otherwise wait for.
  if (adapter.getType() === 'fastify') await (adapter.getInstance() as FastifyReady).ready();
  return throughEphemeralListen(server, request);
}

/**
 * Signs a webhook and POSTs it the way social.plus does, to a Nest app or to a base URL.
 *
 * An app may be listening (`app.listen(0)`) or only initialised (`createNestApplication()` then
 * `init()`, as in a `nest new` e2e test): its HTTP server then listens on a loopback port for the
 * time of the request and is closed again. Either way the request goes over real HTTP through the
 * app's routing, guards, interceptors and filters, on Fastify and Express alike.
 *
 * @param target a Nest app after `init()` or `listen()`, or the base URL of a running one
 *   (`http://127.0.0.1:3000`; `options.path` is resolved against it)
 * @param eventOrPayload a known event name (its fixture is sent), a body object such as an
 *   `amityFixture(...)`, or the exact body string
 * @example
 * await sendAmityWebhook(app, 'message.didCreate', { secret });
 * await sendAmityWebhook(app, amityFixture('v3.post.didCreate', { posts: [{ postId: 'p-1' }] }), { secret, path: '/api/webhooks/amity' });
 */
export async function sendAmityWebhook(
  target: string | INestApplication,
  eventOrPayload: unknown,
  options: SendAmityWebhookOptions,
): Promise<AmityWebhookResponse> {
  const { body, headers } = signAmityFixture(eventOrPayload, options.secret);
  const request: OutgoingRequest = { path: options.path ?? DEFAULT_PATH, headers: { ...headers, ...options.headers }, body };
  return typeof target === 'string' ? post(target, request) : sendToApp(target, request);
}
