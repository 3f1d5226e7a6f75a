import { Injectable } from '@nestjs/common';

/**
 * Counters of the module since the app started, for dashboards, metrics and tests. Each unit of
 * the request path counts what it decides; nothing else writes them.
 */
@Injectable()
export class AmityWebhookStats {
  /** Deliveries stored in the queue (acknowledged with `200 {}`). */
  accepted = 0;
  /** Deliveries answered `200 {}` without processing because the same delivery was stored within the window. */
  duplicates = 0;
  /** Legacy `x-eko-signature` requests acknowledged without processing. */
  legacyDuplicates = 0;
  /** Requests refused with a 4xx or 5xx answer of the module. */
  rejected = 0;
  /** Deliveries that did not fit in the queue (handed to `onOverflow`, or refused). */
  overflowed = 0;
  /** Deliveries fully processed (every listener finished, failed or timed out). */
  dispatched = 0;
  /** Deliveries emitted as `amity-webhook.invalid`. */
  invalid = 0;
  /** Listener failures (each failed attempt). */
  handlerFailures = 0;
}
