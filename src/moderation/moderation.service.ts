import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AmityMessageDto } from 'nestjs-amity-webhook';
import { RecentItems } from '../common/recent-items.buffer.js';
import { BannedWordsMatcher } from './banned-words.matcher.js';
import type { ModeratedEvent, ModerationFlag } from './moderation-flag.interface.js';
import { moderationConfig, type ModerationConfig } from './moderation.config.js';

/**
 * Reviews message texts against the banned-word list and keeps the last `MODERATION_MAX_FLAGS`
 * decisions in memory. Only flagged messages are recorded; clean ones leave no trace.
 */
@Injectable()
export class ModerationService {
  private readonly logger = new Logger('Moderation');
  private readonly matcher: BannedWordsMatcher;
  private readonly flags: RecentItems<ModerationFlag>;

  constructor(@Inject(moderationConfig.KEY) config: ModerationConfig) {
    this.matcher = new BannedWordsMatcher(config.bannedWords);
    this.flags = new RecentItems(config.maxFlags);
  }

  /** Checks each message's `data.text`; records and returns the flags raised. */
  review(event: ModeratedEvent, messages: readonly AmityMessageDto[]): ModerationFlag[] {
    const raised: ModerationFlag[] = [];
    for (const message of messages) {
      const text = message.data?.text;
      if (typeof text !== 'string') continue;
      const words = this.matcher.findIn(text);
      if (words.length === 0) continue;
      const flag: ModerationFlag = {
        messageId: message.messageId,
        channelId: message.channelId,
        userId: message.userId,
        words,
        event,
        flaggedAt: new Date().toISOString(),
      };
      this.flags.push(flag);
      raised.push(flag);
      this.logger.log(`Flagged message ${flag.messageId} of ${flag.userId} in ${flag.channelId}: ${words.join(', ')}`);
    }
    return raised;
  }

  /** The decisions kept, newest first. */
  list(): ModerationFlag[] {
    return this.flags.newestFirst();
  }
}
