import { Injectable } from '@nestjs/common';
import { OnAmityEvent, type AmityWebhookEvent } from 'nestjs-amity-webhook';
import { ModerationService } from './moderation.service.js';

/**
 * Sends new and edited messages to moderation. Edits are reviewed too: editing a message is the
 * simplest way around a check made only when it was sent.
 */
@Injectable()
export class ModerationListener {
  constructor(private readonly moderation: ModerationService) {}

  @OnAmityEvent('message.didCreate')
  onMessageCreated(event: AmityWebhookEvent<'message.didCreate'>): void {
    this.moderation.review(event.event, event.data.messages);
  }

  @OnAmityEvent('message.didUpdate')
  onMessageUpdated(event: AmityWebhookEvent<'message.didUpdate'>): void {
    this.moderation.review(event.event, event.data.messages);
  }
}
