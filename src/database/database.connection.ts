import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * The query API the app uses, the same over PGlite and node-postgres (drizzle's `PgDatabase`).
 * A transaction (`db.transaction(async (tx) => ...)`) is one too, so a function taking an
 * `AppDatabase` runs inside or outside a transaction alike.
 */
export type AppDatabase = PgDatabase<PgQueryResultHKT>;

/** Which engine holds the state. */
export type DatabaseBackend = 'pglite' | 'postgres';

/**
 * An open database. Inject it by this class; `DatabaseModule` opens it, applies the migrations
 * before anything else runs, and closes it once the webhook deliveries have been drained.
 */
export abstract class DatabaseConnection {
  /** Queries and transactions. */
  abstract readonly db: AppDatabase;
  abstract readonly backend: DatabaseBackend;
  /** Where it points, for logs (never a password). */
  abstract readonly description: string;
  /** Applies the migrations not applied yet; safe when several processes start at once. */
  abstract migrate(): Promise<void>;
  /** Closes the connection (and drops a throwaway test schema). */
  abstract close(): Promise<void>;
}

/** Double-quotes an identifier already checked to be plain (see `DatabaseSettings.schema`). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
