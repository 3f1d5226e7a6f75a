import type { AmityEventDataMap, AmityWebhookEventName } from '../events/amity-event-data.map.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { AMITY_FIXTURE_DATA } from './fixtures/amity-event.fixtures.js';

/** A partial version of `T` for overrides: objects merge deeply, arrays and other values replace. */
export type AmityDeepPartial<T> = T extends ReadonlyArray<unknown>
  ? T
  : T extends object
    ? { [K in keyof T]?: AmityDeepPartial<T[K]> }
    : T;

/** A webhook body as social.plus sends it, typed by event name. */
export interface AmityFixture<N extends AmityWebhookEventName> {
  event: N;
  data: AmityEventDataMap[N];
  /** Present where the vendor sends it at the top level (`file.didDelete`). */
  networkId?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function merge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? merge(current, value) : value;
  }
  return out;
}

/**
 * A realistic sample body of `event` (ids, timestamps, Unicode text), with `overrides` merged into
 * its `data` (objects deeply; arrays replaced). Each call returns fresh objects.
 *
 * @example
 * amityFixture('v3.post.didCreate', { posts: [{ postId: 'p-1', data: { text: 'hi' } }] })
 */
export function amityFixture<N extends AmityWebhookEventName>(event: N, overrides?: AmityDeepPartial<AmityEventDataMap[N]>): AmityFixture<N> {
  const build = AMITY_FIXTURE_DATA[event] as (() => object) | undefined;
  if (!build) throw new Error(`[nestjs-amity-webhook] no fixture for unknown event "${String(event)}"`);
  const base = build() as Record<string, unknown>;
  const data = (overrides ? merge(base, overrides as Record<string, unknown>) : base) as unknown as AmityEventDataMap[N];
  return event === 'file.didDelete' ? { networkId: '6848030d11c7e8b56c3570b5', event, data } : { event, data };
}

/** A body ready to send: its exact bytes, signature and headers. */
export interface AmitySignedRequest {
  readonly body: string;
  readonly signature: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Serialises `payload` (a string is taken as the exact bytes) and signs it with `secret`. */
export function signAmityFixture(payload: unknown, secret: string): AmitySignedRequest {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signature = signAmityPayload(body, secret);
  return { body, signature, headers: { 'content-type': 'application/json', 'x-amity-signature': signature } };
}
