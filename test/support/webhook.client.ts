import { signAmityPayload } from 'nestjs-amity-webhook';
import { sendAmityWebhook } from 'nestjs-amity-webhook/testing';

/** The webhook route of the sample app (the library's default path). */
export const WEBHOOK_PATH = '/webhooks/amity';

/** A response as the tests look at it. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: string;
}

/** POSTs `body` to the webhook route with `headers` (and `content-type: application/json`). */
export async function postWebhook(url: string, body: string, headers: Record<string, string>): Promise<WebhookResponse> {
  const response = await fetch(`${url}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** Signs `body` with `secret` as social.plus does and POSTs it (the testing kit's client). */
export async function postSigned(url: string, body: string, secret: string): Promise<WebhookResponse> {
  const { status, body: answer } = await sendAmityWebhook(url, body, { secret, path: WEBHOOK_PATH });
  return { status, body: answer };
}

/** Sends the legacy duplicate social.plus still emits: `x-eko-signature` only. */
export function postLegacyDuplicate(url: string, body: string, secret: string): Promise<WebhookResponse> {
  return postWebhook(url, body, { 'x-eko-signature': signAmityPayload(body, secret) });
}

/** GETs a JSON resource of the sample app, failing on anything but 200. */
export async function getJson<T>(url: string, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
