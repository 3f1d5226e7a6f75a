import { Logger } from '@nestjs/common';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { describeDatabase, type DatabaseSettings } from './database.config.js';
import { DatabaseConnection, quoteIdentifier, type AppDatabase } from './database.connection.js';
import { MIGRATIONS_FOLDER, MIGRATIONS_TABLE } from './database.migrations.js';

/** Key of the advisory lock taken while migrating (with the schema name), so that one process at a time migrates. */
const MIGRATION_LOCK = 'nestjs-amity-webhook-sample:migrate:';

/** A PostgreSQL server through a node-postgres pool, every connection on `settings.schema`. */
export class PostgresConnection extends DatabaseConnection {
  readonly backend = 'postgres';
  private readonly logger = new Logger('Database');
  private readonly pool: pg.Pool;
  readonly db: AppDatabase;
  readonly description: string;

  constructor(private readonly settings: DatabaseSettings & { readonly url: string }) {
    super();
    this.pool = new pg.Pool({
      connectionString: settings.url,
      max: settings.poolSize,
      // Every connection starts on the app's schema, so queries stay unqualified on both backends.
      options: `-c search_path=${quoteIdentifier(settings.schema)}`,
      // Idle connections do not keep a process alive that has nothing else to do (a failed boot).
      allowExitOnIdle: true,
    });
    // An idle connection that breaks (server restart) must not crash the process: the pool replaces it.
    this.pool.on('error', (error) => this.logger.warn(`Idle database connection lost: ${error.message}`));
    this.db = drizzle({ client: this.pool });
    this.description = describeDatabase(settings);
  }

  /**
   * Migrates on one connection holding an advisory lock: a receiver and a worker starting
   * together would otherwise both apply the same migration (drizzle's migrator does not lock).
   */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    const lock = MIGRATION_LOCK + this.settings.schema;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.settings.schema)}`);
        await migrate(drizzle({ client }), {
          migrationsFolder: MIGRATIONS_FOLDER,
          migrationsSchema: this.settings.schema,
          migrationsTable: MIGRATIONS_TABLE,
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    try {
      if (this.settings.dropSchemaOnClose) await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(this.settings.schema)} CASCADE`);
    } finally {
      await this.pool.end();
    }
  }
}
