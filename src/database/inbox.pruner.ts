import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from './database.config.js';
import { InboxService } from './inbox.service.js';

/** How often inbox rows past their retention are deleted. */
export const INBOX_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps the inbox bounded: at boot and then hourly, deletes the rows older than
 * `DATABASE_INBOX_RETENTION_DAYS`. (The feature tables bound themselves as they are written.)
 */
@Injectable()
export class InboxPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Database');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly inbox: InboxService,
    @Inject(databaseConfig.KEY) private readonly settings: DatabaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.pruneInBackground();
    this.timer = setInterval(() => this.pruneInBackground(), INBOX_PRUNE_INTERVAL_MS);
    // The schedule alone must not keep the process alive.
    this.timer.unref();
  }

  /** Stops the schedule and waits for a prune in progress, before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes the expired rows now; resolves with how many. */
  async prune(): Promise<number> {
    const removed = await this.inbox.prune(this.settings.inboxRetentionDays);
    if (removed > 0) this.logger.log(`Pruned ${removed} inbox row(s) older than ${this.settings.inboxRetentionDays} day(s)`);
    return removed;
  }

  private pruneInBackground(): void {
    if (this.running) return;
    this.running = this.prune()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`Pruning the inbox failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }
}
