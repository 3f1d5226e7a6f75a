import { amityErrorReply, type AmityWebhookReply } from './amity-webhook.reply.js';

/** Content type of every answer. */
export const AMITY_REPLY_CONTENT_TYPE = 'application/json; charset=utf-8';

/** `application/json` and structured-syntax JSON types (`application/x+json`), any parameters. */
export const AMITY_JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

/** Methods answered `405` on the webhook path. */
export const AMITY_OTHER_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;

export const METHOD_NOT_ALLOWED = amityErrorReply(405, 'Use POST to deliver social.plus webhooks');
export const UNSUPPORTED_MEDIA_TYPE = amityErrorReply(415, 'Content-Type must be application/json');
export const CONTENT_LENGTH_MISMATCH = amityErrorReply(400, 'Content-Length does not match the body');
export const MALFORMED_REQUEST = amityErrorReply(400, 'Malformed request');

/** The `413` answer for a body over `bodyLimit`. */
export function payloadTooLarge(bodyLimit: number): AmityWebhookReply {
  return amityErrorReply(413, `Body exceeds the limit of ${bodyLimit} bytes`);
}

/** Headers of an answer: JSON, and `Retry-After` on a `503`. */
export function replyHeaders(reply: AmityWebhookReply): Record<string, string> {
  return reply.status === 503
    ? { 'content-type': AMITY_REPLY_CONTENT_TYPE, 'retry-after': '1' }
    : { 'content-type': AMITY_REPLY_CONTENT_TYPE };
}
