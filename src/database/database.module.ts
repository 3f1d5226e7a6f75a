import { Global, Module } from '@nestjs/common';
import { DatabaseConnection } from './database.connection.js';
import { InboxPruner } from './inbox.pruner.js';
import { InboxService } from './inbox.service.js';
import { ManagedDatabaseConnection } from './managed-database.connection.js';

/**
 * The sample app's state: PostgreSQL through drizzle-orm, embedded PGlite unless `DATABASE_URL`
 * is set. Opens the database and applies the migrations as the app initialises (the app fails to
 * start if it cannot), and exports the connection and the inbox to the feature modules.
 */
@Global()
@Module({
  providers: [{ provide: DatabaseConnection, useClass: ManagedDatabaseConnection }, InboxService, InboxPruner],
  exports: [DatabaseConnection, InboxService],
})
export class DatabaseModule {}
