import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { resolveDatabaseSettings } from './database.config.js';
import { openDatabase } from './database.open.js';

/**
 * `npm run db:migrate`: applies the pending migrations to the database the app would use (same
 * variables, `.env` included) and exits. The app also migrates at start-up; this is for deploys
 * that migrate before rolling out. With PGlite, stop the app first: one process per data folder.
 */
const logger = new Logger('Database');

async function main(): Promise<void> {
  // As in the app, real environment variables win over `.env` (loadEnvFile does not overwrite).
  if (process.env['NODE_ENV'] !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
  const connection = await openDatabase(resolveDatabaseSettings(process.env));
  await connection.close();
  logger.log(`Migrations applied to ${connection.description}`);
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
