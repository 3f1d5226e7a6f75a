import { resolveDatabaseSettings } from './database.config.js';
import type { DatabaseBackend, DatabaseConnection } from './database.connection.js';
import { openDatabase } from './database.open.js';

/**
 * The backends specs run against: PGlite in this process always, and the PostgreSQL server of
 * `DATABASE_URL` when it is set (as `.ci/run` does).
 */
export function testBackends(): DatabaseBackend[] {
  return process.env['DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A migrated, empty database of its own for one test: PGlite in memory, or a fresh schema on the
 * `DATABASE_URL` server that `close()` drops.
 */
export function openTestDatabase(backend: DatabaseBackend): Promise<DatabaseConnection> {
  const url = backend === 'postgres' ? process.env['DATABASE_URL'] : undefined;
  if (backend === 'postgres' && !url) throw new Error('DATABASE_URL is not set');
  return openDatabase(resolveDatabaseSettings({ NODE_ENV: 'test', DATABASE_URL: url }));
}
