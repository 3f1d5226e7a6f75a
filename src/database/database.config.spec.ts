import { describe, expect, it } from '@jest/globals';
import { describeDatabase, resolveDatabaseSettings } from './database.config.js';

describe('resolveDatabaseSettings', () => {
  it('defaults to PGlite in ./data/pglite, schema public', () => {
    expect(resolveDatabaseSettings({})).toEqual({
      url: undefined,
      pgliteDir: './data/pglite',
      schema: 'public',
      dropSchemaOnClose: false,
      poolSize: 10,
      inboxRetentionDays: 30,
    });
  });

  it('reads every variable', () => {
    expect(
      resolveDatabaseSettings({
        DATABASE_URL: ' postgres://app@db:5432/app ',
        DATABASE_SCHEMA: 'amity_sample',
        DATABASE_PGLITE_DIR: '/var/lib/sample',
        DATABASE_POOL_SIZE: '4',
        DATABASE_INBOX_RETENTION_DAYS: '7',
      }),
    ).toEqual({ url: 'postgres://app@db:5432/app', pgliteDir: '/var/lib/sample', schema: 'amity_sample', dropSchemaOnClose: false, poolSize: 4, inboxRetentionDays: 7 });
  });

  it('gives a test app a store of its own: PGlite in memory, or a throwaway schema on a real server', () => {
    expect(resolveDatabaseSettings({ NODE_ENV: 'test' })).toMatchObject({ pgliteDir: 'memory://', schema: 'public', dropSchemaOnClose: false });
    const first = resolveDatabaseSettings({ NODE_ENV: 'test', DATABASE_URL: 'postgres://localhost/test' });
    const second = resolveDatabaseSettings({ NODE_ENV: 'test', DATABASE_URL: 'postgres://localhost/test' });
    expect(first).toMatchObject({ schema: expect.stringMatching(/^test_[0-9a-f]{32}$/), dropSchemaOnClose: true });
    expect(second.schema).not.toBe(first.schema);
    expect(resolveDatabaseSettings({ NODE_ENV: 'test', DATABASE_URL: 'postgres://localhost/test', DATABASE_SCHEMA: 'kept' })).toMatchObject({
      schema: 'kept',
      dropSchemaOnClose: false,
    });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL must be a postgres:\/\//],
    [{ DATABASE_SCHEMA: 'x; DROP TABLE inbox' }, /DATABASE_SCHEMA must be a plain identifier/],
    [{ DATABASE_POOL_SIZE: '0' }, /^DATABASE_POOL_SIZE must be an integer/],
    [{ DATABASE_INBOX_RETENTION_DAYS: 'forever' }, /^DATABASE_INBOX_RETENTION_DAYS must be an integer/],
  ])('refuses %p', (env, message) => {
    expect(() => resolveDatabaseSettings(env)).toThrow(message);
  });
});

describe('describeDatabase', () => {
  it('never shows a password', () => {
    const settings = resolveDatabaseSettings({ DATABASE_URL: 'postgres://app:s3cret@db.internal/app' });
    expect(describeDatabase(settings)).toBe('PostgreSQL at db.internal:5432/app, schema public');
  });

  it('names the PGlite folder', () => {
    expect(describeDatabase(resolveDatabaseSettings({}))).toBe('embedded PGlite in ./data/pglite');
    expect(describeDatabase(resolveDatabaseSettings({ NODE_ENV: 'test' }))).toBe('embedded PGlite in memory');
  });
});
