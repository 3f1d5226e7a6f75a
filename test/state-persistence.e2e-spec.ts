import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AmityAnyWebhookEvent, AmityWebhookEvent } from 'nestjs-amity-webhook';
import type { ActivityItem } from '../src/activity/activity-item.interface.js';
import { ActivityListener } from '../src/activity/activity.listener.js';
import type { AnalyticsSummary } from '../src/analytics/analytics-summary.interface.js';
import { AnalyticsListener } from '../src/analytics/analytics.listener.js';
import type { ModerationFlag } from '../src/moderation/moderation-flag.interface.js';
import { ModerationListener } from '../src/moderation/moderation.listener.js';
import { membershipEvent, messageEvent, uniqueId } from './support/amity-payload.factory.js';
import { startSampleApp, type SampleApp } from './support/sample-app.harness.js';
import { getJson, postSigned } from './support/webhook.client.js';

const SECRET = 'state-e2e-secret';
const ACK = { status: 200, body: '{}' };
// Two boots of a real app per test.
jest.setTimeout(30_000);

/** The database variables of one boot (the harness passes them through from `process.env`). */
type DatabaseEnv = Partial<Record<'DATABASE_URL' | 'DATABASE_SCHEMA' | 'DATABASE_PGLITE_DIR', string>>;
const DATABASE_KEYS = ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PGLITE_DIR'] as const;

/** Boots the sample app with exactly `database` for its database variables, then restores them. */
async function boot(database: DatabaseEnv): Promise<SampleApp> {
  const saved = DATABASE_KEYS.map((key) => [key, process.env[key]] as const);
  for (const key of DATABASE_KEYS) {
    if (database[key] === undefined) delete process.env[key];
    else process.env[key] = database[key];
  }
  try {
    return await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET, MODERATION_BANNED_WORDS: 'scam' });
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** What the three endpoints say, for comparing before and after. */
async function state(app: SampleApp, userIds: readonly string[]) {
  return {
    summary: await getJson<AnalyticsSummary>(app.url, '/analytics/summary'),
    flags: await getJson<ModerationFlag[]>(app.url, '/moderation/flags'),
    feeds: await Promise.all(userIds.map((userId) => getJson<ActivityItem[]>(app.url, `/activity/${userId}`))),
  };
}

async function deliver(app: SampleApp, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) expect(await postSigned(app.url, body, SECRET)).toEqual(ACK);
  await app.dispatcher.onIdle();
}

interface Store {
  /** Database variables that make two boots share the store. */
  readonly env: DatabaseEnv;
  readonly cleanUp: () => Promise<void>;
}

/** A store that outlives the app: a PGlite folder, or a schema on the `DATABASE_URL` server. */
const stores: Record<string, () => Promise<Store>> = {
  'PGlite in a data folder': async () => {
    const folder = await mkdtemp(join(tmpdir(), 'amity-sample-pglite-'));
    return { env: { DATABASE_PGLITE_DIR: folder }, cleanUp: () => rm(folder, { recursive: true, force: true }) };
  },
};
const serverUrl = process.env['DATABASE_URL'];
if (serverUrl) {
  stores['PostgreSQL (DATABASE_URL)'] = async () => {
    const schema = `state_test_${randomUUID().replaceAll('-', '')}`;
    return {
      env: { DATABASE_URL: serverUrl, DATABASE_SCHEMA: schema },
      cleanUp: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  };
}

describe.each(Object.keys(stores))('sample app state on %s', (storeName) => {
  const running: SampleApp[] = [];
  const cleanUps: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (running.length > 0) await running.pop()!.app.close();
  });
  afterAll(async () => {
    for (const cleanUp of cleanUps) await cleanUp();
  });

  async function newStore(): Promise<Store> {
    const store = await stores[storeName]!();
    cleanUps.push(store.cleanUp);
    return store;
  }

  async function start(store: Store): Promise<SampleApp> {
    const app = await boot(store.env);
    running.push(app);
    return app;
  }

  async function stop(app: SampleApp): Promise<void> {
    running.splice(running.indexOf(app), 1);
    await app.app.close();
  }

  it('keeps its state across a restart, and a delivery repeated after it changes nothing', async () => {
    const store = await newStore();
    const ada = uniqueId('ada');
    const bob = uniqueId('bob');
    const bodies = [
      membershipEvent('channel.didJoin', 'channel-state', [ada, bob]),
      messageEvent({ userId: ada, channelId: 'channel-state', text: 'not a scam' }),
      messageEvent({ userId: bob, channelId: 'channel-state', text: 'hello' }),
    ];

    const first = await start(store);
    await deliver(first, bodies);
    const before = await state(first, [ada, bob]);
    expect(before.summary).toEqual({ total: 3, byEvent: { 'channel.didJoin': 1, 'message.didCreate': 2 } });
    expect(before.flags).toHaveLength(1);
    expect(before.feeds.map((feed) => feed.length)).toEqual([2, 2]);
    await stop(first);

    const second = await start(store);
    expect(await state(second, [ada, bob])).toEqual(before);

    // social.plus or a durable queue delivering the same bodies again: the same delivery ids. The
    // new process has no memory of them, so the library dispatches them again; the inbox holds.
    await deliver(second, bodies);
    expect(second.dispatcher.stats).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(await state(second, [ada, bob])).toEqual(before);

    // A new delivery still counts.
    await deliver(second, [messageEvent({ userId: ada })]);
    expect((await state(second, [ada])).summary.total).toBe(4);
  });

  it('applies each listener effect once when the same delivery reaches the listeners twice', async () => {
    const app = await start(await newStore());
    const userId = uniqueId('carol');
    const messageId = uniqueId('msg');
    const event = {
      id: `delivery-${randomUUID()}`,
      event: 'message.didCreate',
      wireEvent: 'message.didCreate',
      data: { messages: [{ messageId, channelId: 'channel-twice', userId, data: { text: 'a scam' } }], users: [] },
      subject: undefined,
      actorId: userId,
      actor: undefined,
      receivedAt: new Date(),
      webhook: { index: 0, label: 'webhook-0' },
      known: true,
    } as unknown as AmityWebhookEvent<'message.didCreate'>;

    // As a redelivery would call them: the same event (same id), twice, even concurrently.
    for (let round = 0; round < 2; round++) {
      await Promise.all([
        app.app.get(AnalyticsListener).onAmityEvent(event as AmityAnyWebhookEvent),
        app.app.get(AnalyticsListener).onAmityEvent(event as AmityAnyWebhookEvent),
        app.app.get(ModerationListener).onMessageCreated(event),
        app.app.get(ActivityListener).onMessageCreated(event),
      ]);
    }

    const after = await state(app, [userId]);
    expect(after.summary).toEqual({ total: 1, byEvent: { 'message.didCreate': 1 } });
    expect(after.flags.map((flag) => flag.messageId)).toEqual([messageId]);
    expect(after.feeds[0]!.map((item) => item.messageId)).toEqual([messageId]);
  });
});
