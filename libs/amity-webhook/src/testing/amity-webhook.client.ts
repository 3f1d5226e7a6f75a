import type { INestApplication } from '@nestjs/common';
import { signAmityFixture } from './amity-fixture.factory.js';

/** Options of {@link sendAmityWebhook}. */
export interface SendAmityWebhookOptions {
  /** The secret to sign with. */
  secret: string;
  /**
   * Route of the module.
   * @default '/webhooks/amity'
   */
  path?: string;
  /** Extra or replacing headers (e.g. to send a wrong signature). */
  headers?: Record<string, string>;
}

/** What the receiver answered. */
export interface AmityWebhookResponse {
  readonly status: number;
  readonly body: string;
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
 * Signs `payload` (an object, e.g. from `amityFixture`, or the exact body string) and POSTs it over
 * real HTTP to a listening Nest app (or a base URL), the way social.plus does.
 */
export async function sendAmityWebhook(
  target: string | INestApplication,
  payload: unknown,
  options: SendAmityWebhookOptions,
): Promise<AmityWebhookResponse> {
  const { body, headers } = signAmityFixture(payload, options.secret);
  const url = new URL(options.path ?? '/webhooks/amity', await baseUrl(target));
  const response = await fetch(url, { method: 'POST', headers: { ...headers, ...options.headers }, body });
  return { status: response.status, body: await response.text(), headers: response.headers };
}
