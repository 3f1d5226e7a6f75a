import { registerAs, type ConfigType } from '@nestjs/config';
import { parseList, parsePositiveInteger } from '../config/env.parsers.js';

/**
 * Used when `MODERATION_BANNED_WORDS` is unset or empty: a short, mild list that shows the
 * mechanism. Real deployments configure their own.
 */
export const DEFAULT_BANNED_WORDS: readonly string[] = Object.freeze(['spam', 'scam', 'phishing', 'idiot', 'moron', 'loser']);

/** How many moderation decisions are kept when `MODERATION_MAX_FLAGS` is unset. */
export const DEFAULT_MAX_FLAGS = 100;

/**
 * Moderation settings, read once at boot:
 * - `MODERATION_BANNED_WORDS`: comma-separated words or phrases (default {@link DEFAULT_BANNED_WORDS})
 * - `MODERATION_MAX_FLAGS`: how many flags to keep, newest first (default {@link DEFAULT_MAX_FLAGS})
 */
export const moderationConfig = registerAs('moderation', () => ({
  bannedWords: parseList(process.env['MODERATION_BANNED_WORDS']) ?? [...DEFAULT_BANNED_WORDS],
  maxFlags: parsePositiveInteger('MODERATION_MAX_FLAGS', process.env['MODERATION_MAX_FLAGS'], DEFAULT_MAX_FLAGS, 100_000),
}));

/** The resolved moderation settings, as injected with `@Inject(moderationConfig.KEY)`. */
export type ModerationConfig = ConfigType<typeof moderationConfig>;
