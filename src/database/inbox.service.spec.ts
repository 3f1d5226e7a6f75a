import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { DatabaseConnection } from './database.connection.js';
import { inbox } from './database.schema.js';
import { openTestDatabase, testBackends } from './database.testing.js';
import { InboxService } from './inbox.service.js';

describe.each(testBackends())('InboxService on %s', (backend) => {
  let connection: DatabaseConnection;
  let service: InboxService;
  beforeEach(async () => {
    connection = await openTestDatabase(backend);
    service = new InboxService(connection);
  });
  afterEach(() => connection.close());

  const entry = { deliveryId: 'delivery-1', listener: 'analytics', event: 'message.didCreate' };

  it('runs an effect once per delivery and listener', async () => {
    let runs = 0;
    const effect = async () => void runs++;
    expect(await service.once(entry, effect)).toBe(true);
    expect(await service.once(entry, effect)).toBe(false);
    expect(await service.once({ ...entry, listener: 'moderation' }, effect)).toBe(true);
    expect(await service.once({ ...entry, deliveryId: 'delivery-2' }, effect)).toBe(true);
    expect(runs).toBe(3);
  });

  it('lets two concurrent copies of a delivery through once', async () => {
    let runs = 0;
    const results = await Promise.all(Array.from({ length: 5 }, () => service.once(entry, async () => void runs++)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
  });

  it('rolls the claim back with a failed effect, so a retry runs it', async () => {
    await expect(
      service.once(entry, async (tx) => {
        await tx.execute(sql`SELECT 1`);
        throw new Error('listener failed');
      }),
    ).rejects.toThrow('listener failed');
    expect(await connection.db.select().from(inbox)).toEqual([]);
    expect(await service.once(entry, async () => undefined)).toBe(true);
  });

  it('prunes rows older than the retention, and only those', async () => {
    await service.once(entry, async () => undefined);
    await service.once({ ...entry, deliveryId: 'old' }, async () => undefined);
    await connection.db.update(inbox).set({ handledAt: new Date(Date.now() - 3 * 86_400_000) }).where(sql`${inbox.deliveryId} = 'old'`);
    expect(await service.prune(2)).toBe(1);
    expect((await connection.db.select({ id: inbox.deliveryId }).from(inbox)).map((row) => row.id)).toEqual(['delivery-1']);
  });
});
