// The library's request handler and dispatcher without HTTP, for measurements that must not depend
// on the VM's network stack or drift (bench/retained.js, bench/micro.js).
import 'reflect-metadata';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { signedRequest, BENCH_SECRET } from '../payload.js';

/** The built library (`libs/amity-webhook/dist` unless another dist directory is given). */
export const DEFAULT_DIST = new URL('../../libs/amity-webhook/dist', import.meta.url).pathname;

/** One signed bench request as the handler receives it: lower-cased headers and the raw bytes. */
export function handlerRequest(seq) {
  const { body, headers } = signedRequest(seq);
  return { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), raw: Buffer.from(body) };
}

/**
 * A request handler wired to a real dispatcher and a wildcard EventEmitter2, from the build in
 * `dist`, with the library's logger silenced.
 * @param {string} dist
 * @param {object} options module options besides `secrets`
 */
export async function inProcessReceiver(dist, options = {}) {
  const lib = pathToFileURL(resolve(dist)).href;
  const { AmityWebhookRequestHandler } = await import(`${lib}/receiver/amity-webhook.request-handler.js`);
  const { resolveAmityWebhookOptions } = await import(`${lib}/options/amity-webhook-options.resolver.js`);
  const { AmityWebhookDispatcher } = await import(`${lib}/dispatch/amity-webhook.dispatcher.js`);
  const { Logger } = await import('@nestjs/common');
  Logger.overrideLogger(false);
  const resolved = resolveAmityWebhookOptions({ secrets: BENCH_SECRET, ...options });
  const emitter = new EventEmitter2({ wildcard: true });
  const dispatcher = new AmityWebhookDispatcher(emitter, resolved);
  return { emitter, dispatcher, handler: new AmityWebhookRequestHandler(resolved, dispatcher) };
}
