import type { AmityUserDto } from '../dto/common/amity-user.dto.js';
import type { AmityEventDataMap, AmityEventSubject, AmityWebhookEventName } from '../events/amity-event-data.map.js';

/** Which configured webhook secret verified a delivery. Never the secret itself. */
export interface AmityWebhookSource {
  /** Position of the secret in the configured `secrets`. */
  readonly index: number;
  /** The secret's label (`webhook-<index>` unless configured). */
  readonly label: string;
}

/** An accepted delivery as hooks see it (`onOverflow`, `onUnfinished`, `ordering`, `idempotency.key`). */
export interface AmityDeliveryInfo {
  /** Delivery id: SHA-256 of the exact body, base64url. Identical bodies share it, whichever webhook sent them. */
  readonly id: string;
  /** The event name as social.plus sent it. */
  readonly event: string;
  /** `data` as received (not validated). */
  readonly data: unknown;
  /** The whole parsed body. */
  readonly payload: unknown;
  readonly receivedAt: Date;
  readonly webhook: AmityWebhookSource;
}

/**
 * A verified, validated social.plus webhook, as emitted on the host's `EventEmitter2` under
 * `amity.<event>` after the `200 {}` has been sent.
 */
export interface AmityWebhookEvent<N extends AmityWebhookEventName = AmityWebhookEventName> {
  /**
   * Delivery id: SHA-256 of the exact body, base64url. Stable across redeliveries of the same
   * delivery, so a listener can make its effect idempotent with it (delivery is at least once).
   */
  readonly id: string;
  /** The event name (e.g. `message.didCreate`), as in the catalogue. */
  readonly event: N;
  /**
   * The name exactly as social.plus sent it; differs from `event` only for the vendor's variants
   * (`follow.didDecineRequest`, social events without `v3.`, v5 layouts under `message.did*`).
   */
  readonly wireEvent: string;
  /** The validated, normalised `data` (class instances; unknown fields kept). */
  readonly data: AmityEventDataMap[N];
  /** The primary entity (first message, post, comment, ... or the follow/file/tag itself). */
  readonly subject: AmityEventSubject<N> | undefined;
  /** The id of the user who acted, when the payload says. */
  readonly actorId: string | undefined;
  /** That user, resolved from `data.users` when it is there. */
  readonly actor: AmityUserDto | undefined;
  /** When the request arrived. */
  readonly receivedAt: Date;
  /** Which configured secret matched. */
  readonly webhook: AmityWebhookSource;
  /** `true`: the library knows this event and validated its data. */
  readonly known: true;
}

/**
 * A verified delivery of an event this library does not know yet. It is still acknowledged and
 * emitted under `amity.<event>` so a host can handle tomorrow's events today; `data` is unvalidated.
 */
export interface AmityUnknownWebhookEvent {
  readonly id: string;
  readonly event: string;
  readonly wireEvent: string;
  readonly data: unknown;
  readonly receivedAt: Date;
  readonly webhook: AmityWebhookSource;
  /** `false`: not in the catalogue, `data` was not validated. */
  readonly known: false;
}

/**
 * Anything emitted under `amity.**`. Narrow on `known` and then `event`:
 * `if (e.known && e.event === 'message.didCreate') e.data.messages`.
 */
export type AmityAnyWebhookEvent =
  | { [N in AmityWebhookEventName]: AmityWebhookEvent<N> }[AmityWebhookEventName]
  | AmityUnknownWebhookEvent;

/** One failed constraint of an invalid payload. */
export interface AmityValidationIssue {
  /** Dotted path of the property within `data`, e.g. `messages.0.messageId`. */
  readonly path: string;
  /** Failed constraints, keyed by class-validator constraint name. */
  readonly constraints: Readonly<Record<string, string>>;
}

/**
 * Emitted as `amity-webhook.invalid` (outside the `amity.` namespace) when a correctly signed
 * payload of a known event fails validation in lenient mode. Nothing is lost: the raw payload is here.
 */
export interface AmityWebhookInvalidEvent {
  readonly id: string;
  readonly event: string;
  /** Why it was rejected. */
  readonly issues: readonly AmityValidationIssue[];
  /** The parsed body as received (before transformation). */
  readonly payload: unknown;
  readonly receivedAt: Date;
  readonly webhook: AmityWebhookSource;
}

/**
 * Emitted as `amity-webhook.handler-failed` each time a listener of an accepted event throws,
 * rejects or times out.
 */
export interface AmityWebhookHandlerFailedEvent {
  /** The domain event the listener handled, e.g. `amity.message.didCreate`. */
  readonly name: string;
  /** `Class.method` of an `@OnAmityEvent` listener, when known. */
  readonly listener: string | undefined;
  readonly error: Error;
  /** 1 for the first call. */
  readonly attempt: number;
  /** Whether the listener will be called again for this delivery. */
  readonly willRetry: boolean;
  /** The listener exceeded `handlerTimeoutMs` (it is not retried, as it may still be running). */
  readonly timedOut: boolean;
  /** The delivery's id (`AmityWebhookEvent.id`). */
  readonly deliveryId: string;
}

/**
 * A custom push-notification delivery (`eventType: "push-notification.created"`), a separate
 * social.plus feature, emitted as `amity-push.<data.eventName>` (e.g. `amity-push.post.created`).
 */
export interface AmityPushNotificationEvent {
  readonly id: string;
  /** `data.eventName`, e.g. `post.created`. */
  readonly name: string;
  /** The whole delivery: `{ eventType, id, networkId, path, senderId, sentTime, version, data }`. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly receivedAt: Date;
  readonly webhook: AmityWebhookSource;
}
