import { BadRequestException, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { hash } from 'node:crypto';
import { AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import { isAmityWebhookEventName } from '../events/amity-event.registry.js';
import { toAmityParsedDelivery } from '../events/amity-delivery.parser.js';
import type { AmityGuardedRequest } from '../guard/amity-webhook.guard.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AMITY_DELIVERY_QUEUE, AmityQueueRefusedError, type AmityDeliveryQueue, type AmityParsedDelivery, type AmityQueuedDelivery } from '../queue/amity-delivery.queue.js';
import { amityDeliveryInfo } from '../queue/amity-delivery.info.js';
import { newestAmityTimestamp } from '../security/amity-event-age.js';
import { AmityWebhookRejections } from '../logging/amity-webhook.rejections.js';
import type { AmityRequestOutcome } from '../stats/amity-webhook.observer.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { validateAmityEventData } from '../validation/amity-event.validator.js';
import { checkAmityPayloadLimits } from '../validation/amity-payload.limits.js';
import { mayHoldAmityPrototypeKeys, parseAmityJson } from './amity-json.parser.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/**
 * What the webhook controller does with a verified request before it answers: parse and
 * normalise the envelope, validate it in strict mode, check its age, and store it in the delivery
 * queue. It resolves once the queue holds the delivery (or found it a duplicate); every refusal
 * is an `HttpException` with a specific status and message. Validation (lenient mode) and the
 * listeners run later, on the queue's side.
 */
@Injectable()
export class AmityWebhookReceiver {
  private readonly logger = new Logger('AmityWebhook');

  constructor(
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    @Inject(AMITY_DELIVERY_QUEUE) private readonly queue: AmityDeliveryQueue,
    private readonly stats: AmityWebhookStats,
    private readonly rejections: AmityWebhookRejections,
  ) {}

  /** Receives one request that {@link AmityWebhookGuard} let through. */
  async receive(request: AmityGuardedRequest): Promise<void> {
    const source = request.amityWebhook;
    if (source === 'legacy') {
      request.amityOutcome = 'legacy_duplicate';
      this.stats.legacyDuplicates++;
      this.logger.debug('Acknowledged a legacy x-eko-signature duplicate without processing it');
      return;
    }
    const raw = request.rawBody;
    if (source === undefined || raw === undefined) throw this.reject('400 not verified', new BadRequestException('The request did not pass the signature check'));
    if (raw.length === 0) throw this.reject('400 empty body', new BadRequestException('Empty request body'));

    const delivery: AmityQueuedDelivery = {
      id: hash('sha256', raw, 'base64url'),
      body: raw,
      receivedAt: new Date(),
      webhook: source,
      parsed: this.parse(raw, request.body),
    };
    request.amityDelivery = { id: delivery.id, event: delivery.parsed!.event };
    const maxAge = this.options.maxEventAgeMs;
    if (maxAge !== undefined) {
      const newest = newestAmityTimestamp(delivery.parsed!.data);
      if (newest !== undefined && delivery.receivedAt.getTime() - newest > maxAge) {
        throw this.reject('400 stale event', new BadRequestException('Stale event: its newest timestamp is older than the configured maxEventAgeMs'));
      }
    }
    request.amityOutcome = await this.store(delivery);
  }

  /**
   * The parsed body: the one the platform's JSON parser made of these very bytes when there is
   * one (Fastify parses before the guard; parsing 1 MiB twice would double the cost), unless the
   * bytes could hold a prototype-polluting key, which only the library's own parser removes.
   */
  private parse(raw: Buffer, parsedByPlatform: unknown): AmityParsedDelivery {
    let payload: unknown;
    try {
      const reusable = parsedByPlatform !== null && typeof parsedByPlatform === 'object' && !Buffer.isBuffer(parsedByPlatform) && !mayHoldAmityPrototypeKeys(raw);
      payload = reusable ? parsedByPlatform : parseAmityJson(raw.toString('utf8'));
    } catch {
      throw this.reject('400 malformed JSON', new BadRequestException('Malformed JSON body'));
    }
    const parsed = toAmityParsedDelivery(payload);
    if (typeof parsed === 'string') throw this.reject('400 not an envelope', new BadRequestException(parsed));
    const { kind, event, data } = parsed;
    if (kind === 'push' || !this.options.strict || !isAmityWebhookEventName(event)) return parsed;
    const overLimit = checkAmityPayloadLimits(data, this.options.payloadLimits);
    if (overLimit !== undefined) {
      throw this.reject(`400 over payload limits`, new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Payload of ${event} is over the structural limits: ${overLimit}` }));
    }
    const result = validateAmityEventData(event, data);
    if (!result.valid) {
      const first = result.issues[0];
      throw this.reject(
        `400 invalid ${event}`,
        new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Invalid payload for ${event}`, issues: result.issues }),
        first && `${result.issues.length} issue(s), first at ${first.path}`,
      );
    }
    return { ...parsed, validated: result.data };
  }

  private async store(delivery: AmityQueuedDelivery): Promise<AmityRequestOutcome> {
    let outcome;
    try {
      outcome = await this.queue.enqueue(delivery);
    } catch (error) {
      if (!(error instanceof AmityQueueRefusedError)) throw error;
      if (error.reason === 'full' && this.handOver(delivery)) return 'accepted';
      if (error.reason === 'full') this.stats.overflowed++;
      throw this.reject(`503 ${error.reason}`, new ServiceUnavailableException(`${error.message}; delivery not accepted`), `${delivery.parsed?.event} refused with 503`);
    }
    if (outcome === 'duplicate') {
      this.stats.duplicates++;
      this.logger.debug(`Acknowledged a duplicate of delivery ${delivery.id} without processing it again`);
      return 'duplicate';
    }
    this.stats.accepted++;
    return 'accepted';
  }

  /** A delivery the queue has no room for goes to `onOverflow` when the host gave one. */
  private handOver(delivery: AmityQueuedDelivery): boolean {
    const hook = this.options.onOverflow;
    if (!hook) return false;
    try {
      hook(amityDeliveryInfo(delivery));
    } catch (error) {
      this.logger.error(`onOverflow failed (${amityErrorMessage(error)}); ${delivery.parsed?.event} refused with 503`);
      return false;
    }
    this.stats.overflowed++;
    this.logger.warn(`Webhook queue full (maxQueueSize ${this.options.maxQueueSize}): ${delivery.parsed?.event} handed to onOverflow`);
    return true;
  }

  private reject<E extends Error>(reason: string, error: E, detail?: string): E {
    this.rejections.record(reason, detail);
    return error;
  }
}
