import type { DatabaseSettings } from './database.config.js';
import type { DatabaseConnection } from './database.connection.js';
import { PgliteConnection } from './pglite.connection.js';
import { PostgresConnection } from './postgres.connection.js';

/**
 * Opens the database the settings name and applies the pending migrations: PostgreSQL when
 * `url` is set, embedded PGlite otherwise. Closes it again if migrating fails.
 */
export async function openDatabase(settings: DatabaseSettings): Promise<DatabaseConnection> {
  const { url } = settings;
  const connection = url === undefined ? await PgliteConnection.open(settings) : new PostgresConnection({ ...settings, url });
  try {
    await connection.migrate();
  } catch (error) {
    await connection.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open the database (${connection.description}): ${reason}`, { cause: error });
  }
  return connection;
}
