/** Prefix of every log line and error message the library writes. */
export const AMITY_WEBHOOK_PACKAGE = 'nestjs-amity-webhook';

/** Namespace of the domain events emitted on the host's `EventEmitter2`: `amity.<wire name>`. */
export const AMITY_EVENT_NAMESPACE = 'amity';

/** Namespace of custom push-notification deliveries (a separate social.plus feature): `amity-push.<eventName>`. */
export const AMITY_PUSH_EVENT_NAMESPACE = 'amity-push';

/** Meta event emitted when a correctly signed payload of a known event fails validation (lenient mode). */
export const AMITY_WEBHOOK_INVALID_EVENT = 'amity-webhook.invalid';

/** Meta event emitted each time a listener of an accepted event throws, rejects or times out. */
export const AMITY_WEBHOOK_HANDLER_FAILED_EVENT = 'amity-webhook.handler-failed';

/** Property of an error thrown by an `@OnAmityEvent` handler that names it (`Class.method`) for failure reports. */
export const AMITY_LISTENER_NAME = Symbol.for('nestjs-amity-webhook.listener');

/** Header carrying Base64(HMAC-SHA256(secret, raw body)). */
export const AMITY_SIGNATURE_HEADER = 'x-amity-signature';

/** Header of the legacy duplicate request that social.plus still sends for backward compatibility. */
export const EKO_SIGNATURE_HEADER = 'x-eko-signature';

/** Injection token of the resolved (validated, defaults merged) options. */
export const AMITY_WEBHOOK_RESOLVED_OPTIONS = Symbol('AMITY_WEBHOOK_RESOLVED_OPTIONS');

/** Injection token of the webhook route's path (relative, without slashes at either end). */
export const AMITY_WEBHOOK_PATH = Symbol('AMITY_WEBHOOK_PATH');

/** `application/json` and structured-syntax JSON types (`application/x+json`), any parameters. */
export const AMITY_JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;
