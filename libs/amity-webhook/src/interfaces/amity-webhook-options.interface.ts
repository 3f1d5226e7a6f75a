import type { AmityIdempotencyStore } from '../idempotency/amity-idempotency.store.js';
import type { AmityMetricsOptions } from '../observability/amity-metrics.options.js';
import type { AmityQueueOptions } from '../queue/amity-queue.options.js';
import type { AmityIpAllowlistOptions } from '../security/amity-ip-allowlist.js';
import type { AmityPayloadLimits } from '../validation/amity-payload.limits.js';
import type { AmityDeliveryInfo } from './amity-webhook-event.interface.js';

/**
 * One webhook secret, optionally with a label that is reported (instead of the secret) in every
 * domain event whose signature it verified.
 */
export interface AmityWebhookSecret {
  /** The secret the social.plus console generated for the webhook endpoint. */
  secret: string;
  /**
   * Name reported in `event.webhook.label`. Never the secret itself.
   * @default `webhook-<index>`
   */
  label?: string;
}

/** Options of {@link AmityWebhookModule}, given to `forRoot` or returned by the `forRootAsync` factory. */
export interface AmityWebhookModuleOptions {
  /**
   * Secrets of the webhooks that point at this receiver. A network may have up to 10 webhooks, each
   * with its own secret, and rotating a secret means accepting two at once. A request is accepted
   * when its signature matches any of them. A comma-separated string is split into several secrets.
   */
  secrets: string | ReadonlyArray<string | AmityWebhookSecret>;
  /**
   * Largest accepted body, in bytes; larger bodies get `413`.
   * @default 1048576 (1 MiB)
   */
  bodyLimit?: number;
  /**
   * How long a request may take to send its body, in milliseconds; slower ones get `408` and
   * their connection is closed. social.plus sends its whole body well within its 1.5 s budget.
   * @default 5000
   */
  bodyTimeoutMs?: number;
  /**
   * Most bytes of request bodies held at once before their signatures are checked, across all
   * requests; beyond it a request gets `503` and its connection is closed, so clients that never
   * finish their bodies cannot pin memory.
   * @default 33554432 (32 MiB)
   */
  maxBufferedBytes?: number;
  /**
   * Durable mode: deliveries are stored in BullMQ on Redis before the `200 {}` (a local spool takes
   * them while Redis is slow or down), and workers in every instance with `worker: true` (or in a
   * worker-only process) call the listeners, each listener retried on its own, the last failure
   * kept as a dead letter. Delivery is then at least once: listeners get a stable `event.id`.
   * Needs `bullmq` (and `ioredis`) installed. Off by default: deliveries wait in process memory.
   * @example queue: { connection: 'redis://127.0.0.1:6379' }
   */
  queue?: AmityQueueOptions;
  /**
   * Prometheus metrics (`amity_webhook_*`, listed in the README), registered on prom-client's
   * default registry (`true`) or on `registry`, and removed when the app closes. Needs
   * `prom-client` installed, and loads it only when this is on.
   * @default false
   * @example metrics: { registry }
   */
  metrics?: boolean | AmityMetricsOptions;
  /**
   * Structural limits of a signed body (depth, keys, array and string lengths), checked in one
   * linear pass before validation. A body over them is emitted as `amity-webhook.invalid` with the
   * limit named (strict mode: `400`). Every real social.plus payload stays far below the defaults.
   * @default { maxDepth: 32, maxKeys: 2000, maxArrayLength: 1000, maxStringLength: 131072 }
   */
  payloadLimits?: Partial<AmityPayloadLimits>;
  /**
   * Strict mode validates known events before answering and replies `400` with the validation
   * errors. In the default lenient mode the payload is acknowledged first (social.plus never
   * retries), validated after the response, and a payload that fails validation is emitted as
   * `amity-webhook.invalid` instead of being lost.
   * @default false
   */
  strict?: boolean;
  /**
   * How many calls of each listener run at the same time. Every listener has slots of its own, so
   * a listener that hangs holds only its own and the others keep pace. Listeners usually wait on
   * I/O, so this can be high; it bounds the work in flight, not the CPU.
   * @default 64
   */
  concurrency?: number;
  /**
   * Most deliveries held at once: queued, waiting behind another delivery of the same entity, or
   * in flight. A delivery that does not fit is never dropped silently: it goes to `onOverflow`
   * when set (and is acknowledged), otherwise it is refused with `503` so the sender records a
   * failure.
   * @default 10000
   */
  maxQueueSize?: number;
  /**
   * Takes a delivery the queue has no room for (e.g. to write it to durable storage). Called
   * synchronously before the reply; if it throws, the request gets `503`.
   */
  onOverflow?: (delivery: AmityDeliveryInfo) => void;
  /**
   * How long a listener may run before it is reported as timed out (`amity-webhook.handler-failed`
   * with `timedOut: true`). Its slot is freed then. A timed-out listener is not retried: it may
   * still be running.
   * @default 30000
   */
  handlerTimeoutMs?: number;
  /**
   * How many times a listener that throws or rejects is called again for the same delivery.
   * Only listeners whose errors reach the dispatcher are retried: `@OnAmityEvent` ones, or
   * `@OnEvent(..., { suppressErrors: false })`.
   * @default 2
   */
  retries?: number;
  /**
   * Delay before the first retry, doubled for each next one, with up to 50% random jitter added
   * so that retries of many deliveries do not arrive together.
   * @default 250
   */
  retryDelayMs?: number;
  /**
   * Dispatch deliveries that concern the same entity (a channel, post, comment, community, user,
   * ...) one after the other, in arrival order. `true` derives the entity from the payload; a
   * function returns your own key (`undefined` = no ordering for that delivery).
   * @default false
   */
  ordering?: boolean | ((delivery: AmityDeliveryInfo) => string | undefined);
  /**
   * Suppresses duplicates: a delivery identical to one accepted within `ttlMs` is answered
   * `200 {}` and not dispatched again. The key is claimed only once the signature (and, in strict
   * mode, validation) passed. `false` turns it off.
   * @default { ttlMs: 600000, maxEntries: 100000 } (in memory; key: the delivery id)
   */
  idempotency?: false | AmityIdempotencyOptions;
  /**
   * Replay mitigation, off by default: refuse (`400`) a delivery whose newest entity timestamp
   * (`updatedAt`, `editedAt`, `createdAt`) is older than this many milliseconds. social.plus
   * signs no delivery time, so this only bounds how old a replayed payload can be; payloads
   * without timestamps pass.
   */
  maxEventAgeMs?: number;
  /**
   * Accept deliveries only from these source addresses (`403` otherwise). The address is the one
   * the HTTP adapter reports, which follows `X-Forwarded-For` only when you configured the adapter
   * to trust your proxy (e.g. `new FastifyAdapter({ trustProxy: 1 })`).
   */
  allowedIps?: AmityIpAllowlistOptions;
  /**
   * On application shutdown, how long to wait for accepted deliveries to finish. New requests get
   * `503` meanwhile.
   * @default 10000
   */
  shutdownTimeoutMs?: number;
  /** Receives the deliveries still unfinished when `shutdownTimeoutMs` elapsed, to hand them back. */
  onUnfinished?: (deliveries: readonly AmityDeliveryInfo[]) => void | Promise<void>;
}

/** Duplicate suppression settings. */
export interface AmityIdempotencyOptions {
  /**
   * How long a delivery is remembered.
   * @default 600000 (10 minutes)
   */
  ttlMs?: number;
  /**
   * Most keys the in-memory store remembers.
   * @default 100000
   */
  maxEntries?: number;
  /**
   * Shared store for apps running several instances, e.g. `new AmityRedisIdempotencyStore(redis)`.
   * Its claims are bounded by `timeoutMs`: a claim it does not answer in time (Redis frozen or
   * down) is answered by this process's memory instead, with one WARN per outage, so the
   * sender's 1.5 s budget is never at risk; during an outage instances no longer share the window.
   */
  store?: AmityIdempotencyStore;
  /**
   * How long a claim waits for `store`.
   * @default 200
   */
  timeoutMs?: number;
  /** Your own key for a delivery (`undefined` falls back to the raw-body digest). */
  key?: (delivery: AmityDeliveryInfo) => string | undefined;
}

/** A decorator the host applies to the webhook route, e.g. its own `Public()` or `Throttle(...)`. */
export type AmityRouteDecorator = MethodDecorator;

/**
 * Options of `forRoot` / `forRootAsync` that shape the module itself, so they must be known when
 * the module is defined (for `forRootAsync`: beside `useFactory`, not returned by it).
 */
export interface AmityWebhookModuleExtras {
  /**
   * Register the module as global.
   * @default false
   */
  isGlobal?: boolean;
  /**
   * Route of the webhook controller (POST). The host's global prefix applies to it, as to any
   * controller: with `app.setGlobalPrefix('api')` it is `/api/webhooks/amity`.
   * @default 'webhooks/amity'
   */
  path?: string;
  /**
   * Decorators applied to the webhook route handler, for the host's own cross-cutting rules: a
   * global auth guard's `Public()`, `@Throttle(...)`, `@SkipThrottle()`, an interceptor...
   * @example
   * AmityWebhookModule.forRoot({ secrets, decorators: [Public()] })
   * @default []
   */
  decorators?: readonly AmityRouteDecorator[];
}
