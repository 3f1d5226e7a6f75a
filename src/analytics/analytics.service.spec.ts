import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DatabaseConnection } from '../database/database.connection.js';
import { openTestDatabase, testBackends } from '../database/database.testing.js';
import { AnalyticsService } from './analytics.service.js';

describe.each(testBackends())('AnalyticsService on %s', (backend) => {
  let connection: DatabaseConnection;
  let analytics: AnalyticsService;
  beforeEach(async () => {
    connection = await openTestDatabase(backend);
    analytics = new AnalyticsService(connection);
  });
  afterEach(() => connection.close());

  it('starts empty', async () => {
    expect(await analytics.summary()).toEqual({ total: 0, byEvent: {} });
  });

  it('counts per event name, names sorted by code unit whatever the collation', async () => {
    for (const name of ['message.didCreate', 'channel.didJoin', 'message.didCreate', 'Zebra.event']) await analytics.record(connection.db, name);
    const summary = await analytics.summary();
    expect(summary).toEqual({ total: 4, byEvent: { 'Zebra.event': 1, 'channel.didJoin': 1, 'message.didCreate': 2 } });
    expect(Object.keys(summary.byEvent)).toEqual(['Zebra.event', 'channel.didJoin', 'message.didCreate']);
  });

  it('treats names such as constructor as plain keys', async () => {
    await analytics.record(connection.db, 'constructor');
    await analytics.record(connection.db, 'constructor');
    expect((await analytics.summary()).byEvent).toEqual({ constructor: 2 });
  });

  it('counts nothing when the transaction rolls back', async () => {
    await expect(
      connection.db.transaction(async (tx) => {
        await analytics.record(tx, 'message.didCreate');
        throw new Error('later effect failed');
      }),
    ).rejects.toThrow('later effect failed');
    expect(await analytics.summary()).toEqual({ total: 0, byEvent: {} });
  });

  it('loses no increment under concurrent deliveries of one event', async () => {
    await Promise.all(Array.from({ length: 20 }, () => connection.db.transaction((tx) => analytics.record(tx, 'message.didCreate'))));
    expect(await analytics.summary()).toEqual({ total: 20, byEvent: { 'message.didCreate': 20 } });
  });
});
