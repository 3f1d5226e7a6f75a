import { AMITY_DEPRECATED_EVENT_NAMES, AMITY_WEBHOOK_EVENT_NAMES, isAmityDeprecatedEventName, isAmityWebhookEventName } from './amity-event.registry.js';

/** What a parsed, signed body turned out to be. */
export type AmityNormalizedEnvelope =
  | {
      readonly kind: 'event';
      /** The name the delivery is emitted under: the catalogue's name when a tolerant mapping applied. */
      readonly event: string;
      /** The name exactly as sent. */
      readonly wireEvent: string;
      readonly data: unknown;
      /** For a deprecated legacy name, the current name to use. */
      readonly deprecatedFor?: string;
    }
  | { readonly kind: 'push'; readonly name: string; readonly payload: Record<string, unknown> }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Wire names are dotted words; anything else could be read as a wildcard by `EventEmitter2`. */
const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;
const MAX_EVENT_NAME_LENGTH = 128;
const PUSH_EVENT_TYPE = 'push-notification.created';

/** Old spellings the vendor used in earlier versions of its API reference. */
const RENAMED: ReadonlyMap<string, string> = new Map([['follow.didDecineRequest', 'follow.didDeclineRequest']]);

/** Legacy message names that also name the v5 (message-feed) events, told apart by `data.messageFeeds`. */
const V5_NAMES: ReadonlyMap<string, string> = new Map([
  ['message.didCreate', 'v5.message.didCreate'],
  ['message.didUpdate', 'v5.message.didUpdate'],
  ['message.didDelete', 'v5.message.didDelete'],
]);

/**
 * Social families are documented with a `v3.` prefix but were also sent without it: every known
 * `v3.<family>.*` name, keyed by its unprefixed form. Computed once, so the request path does one
 * lookup and builds no string.
 */
const V3_FAMILIES: ReadonlySet<string> = new Set(['post', 'comment', 'community', 'communityJoinRequest', 'communityMemberInvitation']);
const V3_NAMES: ReadonlyMap<string, string> = new Map(
  AMITY_WEBHOOK_EVENT_NAMES.filter((name) => name.startsWith('v3.') && V3_FAMILIES.has(name.split('.')[1] ?? '')).map((name) => [name.slice(3), name]),
);

const NOT_AN_OBJECT = { kind: 'invalid', reason: 'Body must be a JSON object {"event": "<name>", "data": {...}}' } as const;
const NO_EVENT = { kind: 'invalid', reason: 'Body must carry a string "event"' } as const;
const BAD_NAME = { kind: 'invalid', reason: '"event" must be a dotted event name such as "message.didCreate", at most 128 characters' } as const;
const BAD_PUSH_NAME = { kind: 'invalid', reason: 'A push notification\'s "data.eventName" must be a dotted event name, at most 128 characters' } as const;

function isEventName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_EVENT_NAME_LENGTH && EVENT_NAME.test(name);
}

/** The catalogue name of an unknown wire name, when it is one of the vendor's variants; else the name itself. */
function variantOf(event: string): string {
  return RENAMED.get(event) ?? V3_NAMES.get(event) ?? event;
}

/** A known name, unless it is a legacy message name carrying the v5 layout. */
function layoutOf(event: string, data: unknown): string {
  const v5 = V5_NAMES.get(event);
  return v5 !== undefined && data !== null && typeof data === 'object' && 'messageFeeds' in data ? v5 : event;
}

/**
 * Reads a parsed body as a social.plus webhook. Pure, never throws, and allocation-light (it runs on
 * the request path, before the `200`): fixed tables built once, no string built, and at most one
 * regular-expression test per call (none for a known name).
 *
 * - A JSON object with a string `event` is an event (extra top-level fields such as `networkId` are
 *   allowed; `data` is passed through untouched). `event` is the catalogue name when the vendor sent
 *   a variant: `follow.didDecineRequest` → `follow.didDeclineRequest`; a social event without its
 *   `v3.` prefix (`post.didCreate`) → `v3.post.didCreate`; `message.didCreate|didUpdate|didDelete`
 *   whose `data` has `messageFeeds` (the v5 layout) → `v5.message.*`. A deprecated name stays as it
 *   is, with `deprecatedFor` naming the current one. Any other well-formed name is kept as sent.
 * - `{ eventType: 'push-notification.created', data: { eventName } }` (the custom push-notification
 *   webhook) is a push named `data.eventName` (`'unknown'` when absent).
 * - Anything else is invalid, with a short reason: not an object, an array, no string `event`, or a
 *   name that is not dotted words (`^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$`, which also keeps
 *   `EventEmitter2` wildcards out) or is longer than 128 characters.
 */
export function normalizeAmityEnvelope(payload: unknown): AmityNormalizedEnvelope {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return NOT_AN_OBJECT;
  const body = payload as Record<string, unknown>;
  const wireEvent = body['event'];
  if (typeof wireEvent !== 'string') {
    if (body['eventType'] !== PUSH_EVENT_TYPE) return NO_EVENT;
    const data = body['data'];
    const eventName = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['eventName'] : undefined;
    const name = typeof eventName === 'string' ? eventName : 'unknown';
    return isEventName(name) ? { kind: 'push', name, payload: body } : BAD_PUSH_NAME;
  }
  // Known names are well-formed by construction: one Set lookup spares the regular expression.
  const known = isAmityWebhookEventName(wireEvent);
  if (!known && !isEventName(wireEvent)) return BAD_NAME;
  const data = body['data'];
  const event = known ? layoutOf(wireEvent, data) : variantOf(wireEvent);
  return isAmityDeprecatedEventName(event)
    ? { kind: 'event', event, wireEvent, data, deprecatedFor: AMITY_DEPRECATED_EVENT_NAMES[event] }
    : { kind: 'event', event, wireEvent, data };
}
