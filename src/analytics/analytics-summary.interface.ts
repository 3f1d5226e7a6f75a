/** What `GET /analytics/summary` returns. */
export interface AnalyticsSummary {
  /** Accepted deliveries seen since the app started. */
  readonly total: number;
  /** The same, per wire event name (e.g. `message.didCreate`), names sorted. */
  readonly byEvent: Readonly<Record<string, number>>;
}
