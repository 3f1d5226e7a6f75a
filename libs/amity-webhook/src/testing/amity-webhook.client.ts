import type { INestApplication } from '@nestjs/common';
import { signAmityFixture } from './amity-fixture.factory.js';

/** Options of {@link sendAmityWebhook}. */
export interface SendAmityWebhookOptions {
  /** The webhook secret to sign with. */
  secret: string;
  /**
   * Route of the module.
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

async function baseUrl(target: string | INestApplication): Promise<string> {
  if (typeof target === 'string') return target;
  const address = target.getHttpServer().address();
  if (address === null || typeof address !== 'object') {
    throw new Error('[nestjs-amity-webhook] sendAmityWebhook: the app is not listening; call app.listen(0) first');
  }
  const host = address.family === 'IPv6' ? `[${address.address === '::' ? '::1' : address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Signs a webhook and POSTs it over real HTTP to a listening Nest app (or a base URL such as
 * `http://127.0.0.1:3000`), the way social.plus does.
 *
 * @param target a Nest app after `app.listen(...)`, or the base URL of a running one
 * @param eventOrPayload a known event name (its fixture is sent), a body object such as an
 *   `amityFixture(...)`, or the exact body string
 * @example
 * await sendAmityWebhook(app, 'message.didCreate', { secret });
 * await sendAmityWebhook(app, amityFixture('v3.post.didCreate', { posts: [{ postId: 'p-1' }] }), { secret });
 */
export async function sendAmityWebhook(
  target: string | INestApplication,
  eventOrPayload: unknown,
  options: SendAmityWebhookOptions,
): Promise<AmityWebhookResponse> {
  const { body, headers } = signAmityFixture(eventOrPayload, options.secret);
  const url = new URL(options.path ?? '/webhooks/amity', await baseUrl(target));
  const response = await fetch(url, { method: 'POST', headers: { ...headers, ...options.headers }, body });
  return { status: response.status, body: await response.text(), headers: response.headers };
}
