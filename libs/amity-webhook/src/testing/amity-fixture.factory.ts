import type { AmityEventDataMap, AmityWebhookEventName } from '../events/amity-event-data.map.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { AMITY_FIXTURE_DATA } from './fixtures/amity-event.fixtures.js';

/** A partial version of `T` for overrides: objects merge deeply, arrays and other values replace. */
export type AmityDeepPartial<T> = T extends ReadonlyArray<unknown>
  ? T
  : T extends object
    ? { [K in keyof T]?: AmityDeepPartial<T[K]> }
    : T;

/**
 * `data` of event `N` as it travels on the wire, i.e. before the DTO normalises it: the DTO's shape,
 * except that `channel` may be one object (the vendor's own sample) as well as a list (the spec).
 */
export type AmityWireData<N extends AmityWebhookEventName> = AmityEventDataMap[N] extends { channel: ReadonlyArray<infer C> }
  ? Omit<AmityEventDataMap[N], 'channel'> & { channel: C | C[] }
  : AmityEventDataMap[N];

/** A webhook body as social.plus sends it, typed by event name. */
export interface AmityFixture<N extends AmityWebhookEventName> {
  event: N;
  data: AmityWireData<N>;
  /** Present where the vendor sends it at the top level (`file.didDelete`). */
  networkId?: string;
}

/** The network id the fixtures use where the vendor sends one (`file.didDelete`, tags). */
const FIXTURE_NETWORK_ID = '6848030d11c7e8b56c3570b5';

/** An object literal or JSON object (not an array, a Date, a Buffer, ...), whatever its realm. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * A deep copy of JSON-like data (objects and arrays; other values as they are). Not
 * `structuredClone`: under Jest's VM contexts its objects come from another realm, and the compiled
 * validator only takes plain objects of its own realm.
 */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy(value[key]);
  return out as T;
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
 * A realistic sample body of `event` (ids, ISO timestamps, Unicode text), shaped as social.plus sends
 * it, with `overrides` merged into its `data` (objects deeply; arrays and other values replace).
 * Each call returns a fresh deep copy, so a test may change what it gets.
 *
 * @example
 * amityFixture('v3.post.didCreate', { posts: [{ postId: 'p-1', data: { text: 'hi' } }] })
 */
export function amityFixture<N extends AmityWebhookEventName>(event: N, overrides?: AmityDeepPartial<AmityEventDataMap[N]>): AmityFixture<N> {
  const build = Object.hasOwn(AMITY_FIXTURE_DATA, event) ? AMITY_FIXTURE_DATA[event] : undefined;
  if (!build) throw new Error(`[nestjs-amity-webhook] no fixture for unknown event "${String(event)}"`);
  const base = copy(build()) as Record<string, unknown>;
  const data = (overrides ? merge(base, copy(overrides) as Record<string, unknown>) : base) as unknown as AmityWireData<N>;
  return event === 'file.didDelete' ? { networkId: FIXTURE_NETWORK_ID, event, data } : { event, data };
}

/** A body ready to send: its exact bytes, their signature and the headers social.plus sends. */
export interface AmitySignedRequest {
  /** The exact bytes to send (UTF-8). */
  readonly body: string;
  /** `x-amity-signature`: Base64(HMAC-SHA256(secret, body)). */
  readonly signature: string;
  /** `content-type` and `x-amity-signature`. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The exact body of `payload`: a string is taken as the bytes to send, a known event name as its
 * fixture, anything else is `JSON.stringify`-ed.
 */
export function serializeAmityFixture(payload: unknown): string {
  if (typeof payload !== 'string') return JSON.stringify(payload);
  return Object.hasOwn(AMITY_FIXTURE_DATA, payload) ? JSON.stringify(amityFixture(payload as AmityWebhookEventName)) : payload;
}

/**
 * Serialises `payload` (see {@link serializeAmityFixture}: an object such as an `amityFixture`, a
 * known event name, or the exact body string) and signs it with `secret` as social.plus does.
 */
export function signAmityFixture(payload: unknown, secret: string): AmitySignedRequest {
  const body = serializeAmityFixture(payload);
  const signature = signAmityPayload(body, secret);
  return { body, signature, headers: { 'content-type': 'application/json', 'x-amity-signature': signature } };
}
