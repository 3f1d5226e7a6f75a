import { Inject, Injectable, Logger } from '@nestjs/common';
import { AMITY_EVENT_NAMESPACE, AMITY_PUSH_EVENT_NAMESPACE, AMITY_WEBHOOK_INVALID_EVENT, AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import type {
  AmityAnyWebhookEvent,
  AmityPushNotificationEvent,
  AmityValidationIssue,
  AmityWebhookInvalidEvent,
} from '../interfaces/amity-webhook-event.interface.js';
import type { AmityQueuedDelivery } from '../queue/amity-delivery.queue.js';
import { validateAmityEventData } from '../validation/amity-event.validator.js';
import { checkAmityPayloadLimits } from '../validation/amity-payload.limits.js';
import { parseAmityDelivery } from './amity-delivery.parser.js';
import { resolveAmityEventContext } from './amity-event.context.js';
import { isAmityWebhookEventName } from './amity-event.registry.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/** A delivery as its listeners receive it: the name on the host's bus and the payload. */
export interface AmityBuiltEvent {
  /** The event's name as in the catalogue (as sent for unknown events and push deliveries). */
  readonly event: string;
  /** `amity.<event>`, `amity-push.<name>`, or `amity-webhook.invalid`. */
  readonly name: string;
  readonly payload: AmityAnyWebhookEvent | AmityPushNotificationEvent | AmityWebhookInvalidEvent;
  /** Set for a payload that failed validation (it is emitted as `amity-webhook.invalid`): why. */
  readonly issues?: readonly AmityValidationIssue[];
}

/**
 * Builds the domain event of a stored delivery: parses it when the queue did not keep the parsed
 * form, validates known events with class-validator (unless strict mode did already), and adds
 * the subject and actor. A payload that fails validation becomes an `amity-webhook.invalid`
 * event with its issues; nothing here throws for bad data.
 */
@Injectable()
export class AmityEventFactory {
  private readonly logger = new Logger('AmityWebhook');
  /** Deprecated names already warned about (once per name). */
  private readonly deprecationsLogged = new Set<string>();

  constructor(@Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions) {}

  build(delivery: AmityQueuedDelivery): AmityBuiltEvent {
    const { id, receivedAt, webhook } = delivery;
    const parsed = delivery.parsed ?? parseAmityDelivery(delivery.body);
    if (typeof parsed === 'string') {
      return this.invalid(delivery, '', undefined, [{ path: '', constraints: { envelope: parsed } }]);
    }
    const { event } = parsed;
    if (parsed.kind === 'push') {
      const push: AmityPushNotificationEvent = { id, name: event, payload: parsed.payload as Record<string, unknown>, receivedAt, webhook };
      return { event, name: `${AMITY_PUSH_EVENT_NAMESPACE}.${event}`, payload: push };
    }
    if (parsed.deprecatedFor !== undefined && !this.deprecationsLogged.has(event)) {
      this.deprecationsLogged.add(event);
      this.logger.warn(`social.plus sent the deprecated event "${event}"; it is emitted as amity.${event}: handle "${parsed.deprecatedFor}" instead`);
    }
    const name = `${AMITY_EVENT_NAMESPACE}.${event}`;
    if (!isAmityWebhookEventName(event)) {
      return { event, name, payload: { id, event, wireEvent: parsed.wireEvent, data: parsed.data, receivedAt, webhook, known: false } };
    }
    let data = parsed.validated;
    if (data === undefined) {
      // Checked in one linear pass first: class-transformer and class-validator cost far more
      // than linear time on hostile shapes, and nesting deep enough overflows their stack.
      const overLimit = checkAmityPayloadLimits(parsed.data, this.options.payloadLimits);
      if (overLimit !== undefined) return this.invalid(delivery, event, parsed.payload, [{ path: 'data', constraints: { payloadLimits: overLimit } }]);
      let issues: readonly AmityValidationIssue[];
      try {
        const result = validateAmityEventData(event, parsed.data);
        if (result.valid) {
          data = result.data;
          issues = [];
        } else {
          issues = result.issues;
        }
      } catch (error) {
        issues = [{ path: 'data', constraints: { validation: `validation failed to run: ${amityErrorMessage(error)}` } }];
      }
      if (data === undefined) return this.invalid(delivery, event, parsed.payload, issues);
    }
    const { subject, actorId, actor } = resolveAmityEventContext(event, data as never);
    const payload = { id, event, wireEvent: parsed.wireEvent, data, subject, actorId, actor, receivedAt, webhook, known: true } as AmityAnyWebhookEvent;
    return { event, name, payload };
  }

  private invalid(delivery: AmityQueuedDelivery, event: string, payload: unknown, issues: readonly AmityValidationIssue[]): AmityBuiltEvent {
    const { id, receivedAt, webhook } = delivery;
    const invalid: AmityWebhookInvalidEvent = { id, event, issues, payload, receivedAt, webhook };
    return { event, name: AMITY_WEBHOOK_INVALID_EVENT, payload: invalid, issues };
  }
}
