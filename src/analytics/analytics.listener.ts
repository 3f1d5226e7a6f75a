import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { AmityAnyWebhookEvent } from 'nestjs-amity-webhook';
import { InboxService } from '../database/inbox.service.js';
import { AnalyticsService } from './analytics.service.js';

/** The analytics listener's name in the inbox: never change it, or past deliveries would count again. */
export const ANALYTICS_LISTENER = 'analytics';

/**
 * Counts every accepted delivery, known or not: the library emits all of them under `amity.**`.
 * Legacy `x-eko-signature` duplicates, rejected requests and invalid payloads
 * (`amity-webhook.invalid`) are never emitted there, so they are not counted. A redelivery of the
 * same delivery (same `event.id`) is not counted again: the inbox holds its key.
 */
@Injectable()
export class AnalyticsListener {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly inbox: InboxService,
  ) {}

  @OnEvent('amity.**')
  async onAmityEvent(event: AmityAnyWebhookEvent): Promise<void> {
    await this.inbox.once({ deliveryId: event.id, listener: ANALYTICS_LISTENER, event: event.event }, (tx) => this.analytics.record(tx, event.event));
  }
}
