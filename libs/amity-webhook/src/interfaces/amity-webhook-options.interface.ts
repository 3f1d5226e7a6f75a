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
   * Route the module listens on (POST only).
   * @default 'webhooks/amity'
   */
  path?: string;
  /**
   * Largest accepted body, in bytes; larger bodies get `413`.
   * @default 1048576 (1 MiB)
   */
  bodyLimit?: number;
  /**
   * Strict mode validates known events before answering and replies `400` with the validation
   * errors. In the default lenient mode the payload is acknowledged first (social.plus never
   * retries), validated after the response, and a payload that fails validation is emitted as
   * `amity-webhook.invalid` instead of being lost.
   * @default false
   */
  strict?: boolean;
  /**
   * How many deliveries are dispatched to listeners at the same time.
   * @default 64
   */
  concurrency?: number;
}

/** Extra options of `forRoot` / `forRootAsync` that shape the module itself. */
export interface AmityWebhookModuleExtras {
  /**
   * Register the module as global.
   * @default false
   */
  isGlobal?: boolean;
}
