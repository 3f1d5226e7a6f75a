import { registerAs, type ConfigType } from '@nestjs/config';
import { parsePositiveInteger } from '../config/env.parsers.js';

/** Items kept per user when `ACTIVITY_MAX_ITEMS_PER_USER` is unset. */
export const DEFAULT_MAX_ITEMS_PER_USER = 50;
/** Users tracked when `ACTIVITY_MAX_USERS` is unset. */
export const DEFAULT_MAX_USERS = 10_000;

/**
 * Activity feed settings, read once at boot:
 * - `ACTIVITY_MAX_ITEMS_PER_USER`: the newest items kept per user (default {@link DEFAULT_MAX_ITEMS_PER_USER})
 * - `ACTIVITY_MAX_USERS`: users tracked; the least recently active is forgotten first (default {@link DEFAULT_MAX_USERS})
 */
export const activityConfig = registerAs('activity', () => ({
  maxItemsPerUser: parsePositiveInteger('ACTIVITY_MAX_ITEMS_PER_USER', process.env['ACTIVITY_MAX_ITEMS_PER_USER'], DEFAULT_MAX_ITEMS_PER_USER, 10_000),
  maxUsers: parsePositiveInteger('ACTIVITY_MAX_USERS', process.env['ACTIVITY_MAX_USERS'], DEFAULT_MAX_USERS, 10_000_000),
}));

/** The resolved activity settings, as injected with `@Inject(activityConfig.KEY)`. */
export type ActivityConfig = ConfigType<typeof activityConfig>;
