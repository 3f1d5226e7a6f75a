import { Injectable } from '@nestjs/common';
import { OnAmityEvent, type AmityWebhookEvent } from 'nestjs-amity-webhook';
import { InboxService } from '../database/inbox.service.js';
import { ModerationService } from './moderation.service.js';

/** The moderation listener's name in the inbox: never change it, or past deliveries would be reviewed again. */
export const MODERATION_LISTENER = 'moderation';

/**
 * Sends new and edited messages to moderation. Edits are reviewed too: editing a message is the
 * simplest way around a check made only when it was sent. Each delivery is reviewed once, however
 * often it arrives (the inbox holds its `event.id`).
 */
@Injectable()
export class ModerationListener {
  constructor(
    private readonly moderation: ModerationService,
    private readonly inbox: InboxService,
  ) {}

  @OnAmityEvent('message.didCreate')
  async onMessageCreated(event: AmityWebhookEvent<'message.didCreate'>): Promise<void> {
    await this.review(event);
  }

  @OnAmityEvent('message.didUpdate')
  async onMessageUpdated(event: AmityWebhookEvent<'message.didUpdate'>): Promise<void> {
    await this.review(event);
  }

  private async review(event: AmityWebhookEvent<'message.didCreate' | 'message.didUpdate'>): Promise<void> {
    await this.inbox.once({ deliveryId: event.id, listener: MODERATION_LISTENER, event: event.event }, async (tx) => {
      await this.moderation.review(tx, event.event, event.data.messages);
    });
  }
}
