import { randomUUID } from 'node:crypto';
import { registerAs, type ConfigType } from '@nestjs/config';
import { parsePositiveInteger } from '../config/env.parsers.js';

/** Where PGlite keeps its files when `DATABASE_PGLITE_DIR` is unset (relative to the working directory). */
export const DEFAULT_PGLITE_DIR = './data/pglite';
/** PGlite's in-memory mode: nothing is written to disk. */
export const PGLITE_IN_MEMORY = 'memory://';
/** Days an inbox row is kept when `DATABASE_INBOX_RETENTION_DAYS` is unset. */
export const DEFAULT_INBOX_RETENTION_DAYS = 30;
/** Connections to a real server when `DATABASE_POOL_SIZE` is unset. */
export const DEFAULT_POOL_SIZE = 10;

/** A PostgreSQL identifier we can quote safely and that fits the 63-byte limit. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Where and how the sample app keeps its state. */
export interface DatabaseSettings {
  /**
   * `DATABASE_URL`: a real PostgreSQL server (`postgres://user@host:5432/db`). Unset: embedded
   * PGlite. @default undefined
   */
  readonly url: string | undefined;
  /** `DATABASE_PGLITE_DIR`: PGlite's data folder, or `memory://`. @default './data/pglite' ('memory://' under Jest) */
  readonly pgliteDir: string;
  /** `DATABASE_SCHEMA`: the schema holding the app's tables. @default 'public' (a throwaway one under Jest with DATABASE_URL) */
  readonly schema: string;
  /** Drop `schema` when the app closes: only for the throwaway schema of a test app. */
  readonly dropSchemaOnClose: boolean;
  /** `DATABASE_POOL_SIZE`: connections to a real server. @default 10 */
  readonly poolSize: number;
  /** `DATABASE_INBOX_RETENTION_DAYS`: inbox rows older than this are pruned. @default 30 */
  readonly inboxRetentionDays: number;
}

/**
 * Resolves the database settings from environment values. Pure, so it is tested without Nest.
 *
 * Under Jest (`NODE_ENV=test`) every app gets a store of its own unless told otherwise: PGlite in
 * memory, or, with `DATABASE_URL`, a fresh schema dropped at shutdown. Tests then never see each
 * other's rows, and a developer's data folder is never touched by a test run.
 */
export function resolveDatabaseSettings(env: Readonly<Record<string, string | undefined>>): DatabaseSettings {
  const url = env['DATABASE_URL']?.trim() || undefined;
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded PGlite database)');
  }
  const test = env['NODE_ENV'] === 'test';
  const configuredSchema = env['DATABASE_SCHEMA']?.trim() || undefined;
  if (configuredSchema !== undefined && !SCHEMA_NAME.test(configuredSchema)) {
    throw new Error(`DATABASE_SCHEMA must be a plain identifier of letters, digits and underscores (got ${JSON.stringify(configuredSchema)})`);
  }
  const throwaway = test && url !== undefined && configuredSchema === undefined;
  return {
    url,
    pgliteDir: env['DATABASE_PGLITE_DIR']?.trim() || (test ? PGLITE_IN_MEMORY : DEFAULT_PGLITE_DIR),
    schema: configuredSchema ?? (throwaway ? `test_${randomUUID().replaceAll('-', '')}` : 'public'),
    dropSchemaOnClose: throwaway,
    poolSize: parsePositiveInteger('DATABASE_POOL_SIZE', env['DATABASE_POOL_SIZE'], DEFAULT_POOL_SIZE, 1000),
    inboxRetentionDays: parsePositiveInteger('DATABASE_INBOX_RETENTION_DAYS', env['DATABASE_INBOX_RETENTION_DAYS'], DEFAULT_INBOX_RETENTION_DAYS, 36_500),
  };
}

/** Database settings, read once at boot from `process.env` (where `ConfigModule` put `.env`). */
export const databaseConfig = registerAs('database', (): DatabaseSettings => resolveDatabaseSettings(process.env));

/** The resolved database settings, as injected with `@Inject(databaseConfig.KEY)`. */
export type DatabaseConfig = ConfigType<typeof databaseConfig>;

/** Where a connection points, for log lines: never the URL, which may carry a password. */
export function describeDatabase(settings: DatabaseSettings): string {
  if (settings.url === undefined) {
    return settings.pgliteDir === PGLITE_IN_MEMORY ? 'embedded PGlite in memory' : `embedded PGlite in ${settings.pgliteDir}`;
  }
  const { hostname, port, pathname } = new URL(settings.url);
  return `PostgreSQL at ${hostname}:${port || '5432'}${pathname}, schema ${settings.schema}`;
}
