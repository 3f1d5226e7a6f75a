import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { AmityAnyWebhookEvent } from 'nestjs-amity-webhook';
import { AnalyticsService } from './analytics.service.js';

/**
 * Counts every accepted delivery, known or not: the library emits all of them under `amity.**`.
 * Legacy `x-eko-signature` duplicates, rejected requests and invalid payloads
 * (`amity-webhook.invalid`) are never emitted there, so they are not counted.
 */
@Injectable()
export class AnalyticsListener {
  constructor(private readonly analytics: AnalyticsService) {}

  @OnEvent('amity.**')
  onAmityEvent(event: AmityAnyWebhookEvent): void {
    this.analytics.record(event.event);
  }
}
