import { Inject, Injectable } from '@nestjs/common';
import { RecentItems } from '../common/recent-items.buffer.js';
import type { ActivityItem } from './activity-item.interface.js';
import { activityConfig, type ActivityConfig } from './activity.config.js';

/**
 * Per-user activity feeds in memory, bounded twice: the newest `maxItemsPerUser` items per user,
 * and at most `maxUsers` users (the one inactive for longest is forgotten first).
 */
@Injectable()
export class ActivityService {
  /** Insertion order is recency order: a user who acts again is moved to the end. */
  private readonly feeds = new Map<string, RecentItems<ActivityItem>>();

  constructor(@Inject(activityConfig.KEY) private readonly config: ActivityConfig) {}

  /** Adds an item to `userId`'s feed. */
  record(userId: string, item: ActivityItem): void {
    let feed = this.feeds.get(userId);
    if (feed) {
      this.feeds.delete(userId);
    } else {
      feed = new RecentItems(this.config.maxItemsPerUser);
      if (this.feeds.size >= this.config.maxUsers) {
        const leastRecent = this.feeds.keys().next();
        if (!leastRecent.done) this.feeds.delete(leastRecent.value);
      }
    }
    this.feeds.set(userId, feed);
    feed.push(item);
  }

  /** `userId`'s recent activity, newest first; empty for a user never seen. */
  feed(userId: string): ActivityItem[] {
    return this.feeds.get(userId)?.newestFirst() ?? [];
  }
}
