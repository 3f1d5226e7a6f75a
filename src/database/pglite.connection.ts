import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describeDatabase, PGLITE_IN_MEMORY, type DatabaseSettings } from './database.config.js';
import { DatabaseConnection, quoteIdentifier, type AppDatabase } from './database.connection.js';
import { MIGRATIONS_FOLDER, MIGRATIONS_TABLE } from './database.migrations.js';
import { blankClusterImage, discardBlankClusterImage } from './pglite-template.cache.js';

/** PGlite in memory, from the blank cluster image; a cached image it cannot start from is made again. */
async function startInMemory(): Promise<PGlite> {
  try {
    return await PGlite.create({ loadDataDir: await blankClusterImage() });
  } catch {
    await discardBlankClusterImage();
    return PGlite.create({ loadDataDir: await blankClusterImage() });
  }
}

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) in this process: in a data folder, or in memory.
 * One connection, whose transactions PGlite runs one at a time; only one process may open a
 * folder at once.
 */
export class PgliteConnection extends DatabaseConnection {
  readonly backend = 'pglite';

  private constructor(
    private readonly client: PGlite,
    readonly db: AppDatabase,
    readonly description: string,
    private readonly schema: string,
  ) {
    super();
  }

  /** Starts PGlite on `settings.pgliteDir` (creating the folder) and selects `settings.schema`. */
  static async open(settings: DatabaseSettings): Promise<PgliteConnection> {
    const inMemory = settings.pgliteDir === PGLITE_IN_MEMORY;
    if (!inMemory) await mkdir(settings.pgliteDir, { recursive: true });
    const client = inMemory ? await startInMemory() : await PGlite.create(settings.pgliteDir);
    try {
      if (settings.schema !== 'public') {
        await client.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(settings.schema)}; SET search_path TO ${quoteIdentifier(settings.schema)}`);
      }
    } catch (error) {
      await client.close();
      throw error;
    }
    return new PgliteConnection(client, drizzle({ client }), describeDatabase(settings), settings.schema);
  }

  async migrate(): Promise<void> {
    // A single process owns the folder, so no lock is needed here.
    await migrate(drizzle({ client: this.client }), {
      migrationsFolder: MIGRATIONS_FOLDER,
      migrationsSchema: this.schema,
      migrationsTable: MIGRATIONS_TABLE,
    });
  }

  async close(): Promise<void> {
    if (!this.client.closed) await this.client.close();
  }
}
