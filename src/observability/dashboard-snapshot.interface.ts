import type { ModerationFlag } from '../moderation/moderation-flag.interface.js';

/** Requests and listener calls counted since the app started. */
export interface DashboardTotals {
  readonly accepted: number;
  readonly duplicate: number;
  readonly legacyDuplicate: number;
  readonly rejected: number;
  readonly refused: number;
  /** Failed or timed-out listener calls (each attempt). */
  readonly failed: number;
}

/** A dead-lettered listener call (durable mode). */
export interface DashboardDeadLetter {
  readonly jobId: string;
  readonly deliveryId: string;
  readonly event: string | null;
  readonly listener: string | null;
  readonly failedAt: string | null;
  readonly attemptsMade: number;
  readonly reason: string;
}

/** What `GET /dashboard/data` answers; the page renders it as it is. */
export interface DashboardSnapshot {
  readonly generatedAt: string;
  readonly mode: 'memory' | 'durable';
  readonly totals: DashboardTotals;
  /** Deliveries accepted and not finished; `null` when it could not be read (Redis away). */
  readonly backlog: number | null;
  /** Accepted deliveries per minute over the last hour, oldest first, by event. */
  readonly perMinute: { readonly start: string; readonly counts: ReadonlyArray<Readonly<Record<string, number>>> };
  /** Accepted deliveries over the last hour, by event. */
  readonly byEvent: Readonly<Record<string, number>>;
  /** The latest moderation flags, newest first. */
  readonly flags: readonly ModerationFlag[];
  /** Durable mode: the dead letters (the most recent first, at most 50); `null` in memory mode or when Redis is away. */
  readonly deadLetters: { readonly total: number; readonly items: readonly DashboardDeadLetter[] } | null;
}
