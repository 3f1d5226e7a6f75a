import { Inject, Injectable, Logger } from '@nestjs/common';
import { desc, inArray } from 'drizzle-orm';
import type { AmityMessageDto } from 'nestjs-amity-webhook';
import { DatabaseConnection, type AppDatabase } from '../database/database.connection.js';
import { moderationFlags } from '../database/database.schema.js';
import { BannedWordsMatcher } from './banned-words.matcher.js';
import type { ModeratedEvent, ModerationFlag } from './moderation-flag.interface.js';
import { moderationConfig, type ModerationConfig } from './moderation.config.js';

/**
 * Reviews message texts against the banned-word list and keeps the last `MODERATION_MAX_FLAGS`
 * decisions in the database. Only flagged messages are recorded; clean ones leave no trace.
 */
@Injectable()
export class ModerationService {
  private readonly logger = new Logger('Moderation');
  private readonly matcher: BannedWordsMatcher;

  constructor(
    @Inject(moderationConfig.KEY) private readonly config: ModerationConfig,
    private readonly connection: DatabaseConnection,
  ) {
    this.matcher = new BannedWordsMatcher(config.bannedWords);
  }

  /** The flags `messages` raise (pure: nothing is written). */
  check(event: ModeratedEvent, messages: readonly AmityMessageDto[], flaggedAt = new Date()): ModerationFlag[] {
    const raised: ModerationFlag[] = [];
    for (const message of messages) {
      const text = message.data?.text;
      if (typeof text !== 'string') continue;
      const words = this.matcher.findIn(text);
      if (words.length === 0) continue;
      raised.push({ messageId: message.messageId, channelId: message.channelId, userId: message.userId, words, event, flaggedAt: flaggedAt.toISOString() });
    }
    return raised;
  }

  /**
   * Checks each message's `data.text`; records the flags raised through `tx` (the listener's inbox
   * transaction), drops those beyond `MODERATION_MAX_FLAGS`, and returns them.
   */
  async review(tx: AppDatabase, event: ModeratedEvent, messages: readonly AmityMessageDto[]): Promise<ModerationFlag[]> {
    const raised = this.check(event, messages);
    if (raised.length === 0) return raised;
    await tx.insert(moderationFlags).values(raised.map((flag) => ({ ...flag, words: [...flag.words], flaggedAt: new Date(flag.flaggedAt) })));
    const beyondLimit = tx.select({ id: moderationFlags.id }).from(moderationFlags).orderBy(desc(moderationFlags.id)).offset(this.config.maxFlags);
    await tx.delete(moderationFlags).where(inArray(moderationFlags.id, beyondLimit));
    for (const flag of raised) this.logger.log(`Flagged message ${flag.messageId} of ${flag.userId} in ${flag.channelId}: ${flag.words.join(', ')}`);
    return raised;
  }

  /** The decisions kept, newest first. */
  async list(): Promise<ModerationFlag[]> {
    const rows = await this.connection.db.select().from(moderationFlags).orderBy(desc(moderationFlags.id)).limit(this.config.maxFlags);
    return rows.map((row) => ({
      messageId: row.messageId,
      channelId: row.channelId,
      userId: row.userId,
      words: row.words,
      event: row.event as ModeratedEvent,
      flaggedAt: row.flaggedAt.toISOString(),
    }));
  }
}
