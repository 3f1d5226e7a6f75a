/** What `GET /analytics/summary` returns. */
export interface AnalyticsSummary {
  /** Accepted deliveries counted since the database was created, each once however often it was delivered. */
  readonly total: number;
  /** The same, per wire event name (e.g. `message.didCreate`), names sorted. */
  readonly byEvent: Readonly<Record<string, number>>;
}
