import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { databaseConfig, describeDatabase, type DatabaseConfig } from './database.config.js';
import { DatabaseConnection, type AppDatabase, type DatabaseBackend } from './database.connection.js';
import { openDatabase } from './database.open.js';

/**
 * The app's connection, as Nest provides it. It opens (and migrates) in `onModuleInit`, once the
 * whole module graph was built: opened in a provider factory instead, a boot that fails elsewhere
 * would leave it open, since Nest builds providers concurrently and closes none of them then.
 * It closes in `onApplicationShutdown`, the last phase, because the webhook module finishes its
 * accepted deliveries in `beforeApplicationShutdown` and their listeners still write here.
 */
@Injectable()
export class ManagedDatabaseConnection extends DatabaseConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private connection: DatabaseConnection | undefined;
  readonly backend: DatabaseBackend;
  readonly description: string;

  constructor(@Inject(databaseConfig.KEY) private readonly settings: DatabaseConfig) {
    super();
    this.backend = settings.url === undefined ? 'pglite' : 'postgres';
    this.description = describeDatabase(settings);
  }

  get db(): AppDatabase {
    if (!this.connection) throw new Error('The database is not open (it opens when the app initialises and closes when it shuts down)');
    return this.connection.db;
  }

  async onModuleInit(): Promise<void> {
    this.connection = await openDatabase(this.settings);
    this.logger.log(`State kept in ${this.description}; migrations applied`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Applied when the connection opens; again here on demand. */
  async migrate(): Promise<void> {
    if (!this.connection) throw new Error('The database is not open');
    await this.connection.migrate();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }
}
