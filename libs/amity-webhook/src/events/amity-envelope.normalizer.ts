import { AMITY_EVENT_REGISTRY, isAmityWebhookEventName } from './amity-event.registry.js';

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
const RENAMED = new Map<string, string>([['follow.didDecineRequest', 'follow.didDeclineRequest']]);
/** Legacy message names that also name the v5 (message-feed) events, told apart by their data. */
const V5_CANDIDATES = new Set(['message.didCreate', 'message.didUpdate', 'message.didDelete']);
/** Social families that are documented with a `v3.` prefix but were also sent without it. */
const V3_FAMILIES = new Set(['post', 'comment', 'community', 'communityJoinRequest', 'communityMemberInvitation']);

const NOT_AN_OBJECT = { kind: 'invalid', reason: 'Body must be a JSON object {"event": "<name>", "data": {...}}' } as const;
const NO_EVENT = { kind: 'invalid', reason: 'Body must carry a string "event"' } as const;
const BAD_NAME = { kind: 'invalid', reason: '"event" must be a dotted event name such as "message.didCreate"' } as const;

function canonical(event: string, data: unknown): string {
  const renamed = RENAMED.get(event);
  if (renamed !== undefined) return renamed;
  if (V5_CANDIDATES.has(event) && data !== null && typeof data === 'object' && 'messageFeeds' in data) return `v5.${event}`;
  if (!isAmityWebhookEventName(event)) {
    const family = event.slice(0, event.indexOf('.'));
    if (V3_FAMILIES.has(family) && isAmityWebhookEventName(`v3.${event}`)) return `v3.${event}`;
  }
  return event;
}

/**
 * Reads a parsed body as a social.plus webhook: the `{event, data}` envelope (extra top-level
 * fields such as `networkId` allowed), with the vendor's naming quirks mapped to the catalogue's
 * names (`follow.didDecineRequest`, social events sent without `v3.`, v5 message layouts under the
 * legacy names), or a custom push-notification delivery. Pure and allocation-light: it runs on the
 * request path.
 */
export function normalizeAmityEnvelope(payload: unknown): AmityNormalizedEnvelope {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return NOT_AN_OBJECT;
  const body = payload as Record<string, unknown>;
  const wireEvent = body['event'];
  if (typeof wireEvent !== 'string') {
    if (body['eventType'] === PUSH_EVENT_TYPE) {
      const data = body['data'] as Record<string, unknown> | null | undefined;
      const name = data !== null && typeof data === 'object' && typeof data['eventName'] === 'string' ? data['eventName'] : 'unknown';
      return EVENT_NAME.test(name) && name.length <= MAX_EVENT_NAME_LENGTH ? { kind: 'push', name, payload: body } : BAD_NAME;
    }
    return NO_EVENT;
  }
  if (wireEvent.length === 0 || wireEvent.length > MAX_EVENT_NAME_LENGTH || !EVENT_NAME.test(wireEvent)) return BAD_NAME;
  const data = body['data'];
  const event = canonical(wireEvent, data);
  const deprecatedFor = isAmityWebhookEventName(event) ? AMITY_EVENT_REGISTRY[event].deprecatedFor : undefined;
  return deprecatedFor === undefined ? { kind: 'event', event, wireEvent, data } : { kind: 'event', event, wireEvent, data, deprecatedFor };
}
