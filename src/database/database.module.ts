import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { databaseConfig, type DatabaseSettings } from './database.config.js';
import { DatabaseConnection } from './database.connection.js';
import { openDatabase } from './database.open.js';
import { InboxPruner } from './inbox.pruner.js';
import { InboxService } from './inbox.service.js';

/**
 * The sample app's state: PostgreSQL through drizzle-orm, embedded PGlite unless `DATABASE_URL`
 * is set. Opens the database and applies the migrations at boot (the app fails to start if it
 * cannot), and exports the connection and the inbox to the feature modules.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(databaseConfig)],
  providers: [
    {
      provide: DatabaseConnection,
      inject: [databaseConfig.KEY],
      useFactory: async (settings: DatabaseSettings): Promise<DatabaseConnection> => {
        const connection = await openDatabase(settings);
        new Logger('Database').log(`State kept in ${connection.description}; migrations applied`);
        return connection;
      },
    },
    InboxService,
    InboxPruner,
  ],
  exports: [DatabaseConnection, InboxService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly connection: DatabaseConnection) {}

  /**
   * Closes the database in the last shutdown phase: the webhook module finishes its accepted
   * deliveries in `beforeApplicationShutdown`, and their listeners still write here.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
