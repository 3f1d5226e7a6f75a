import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmityBullmqAdmin, type AmityQueueStats } from 'nestjs-amity-webhook';
import pg from 'pg';
import type { ActivityItem } from '../src/activity/activity-item.interface.js';
import type { AnalyticsSummary } from '../src/analytics/analytics-summary.interface.js';
import { messageEvent } from './support/amity-payload.factory.js';
import { getJson, postSigned } from './support/webhook.client.js';
import { dropPrefix, testRedisUrl } from './support/redis.js';

/**
 * Issue 16, item 4: the built sample app in durable mode (BullMQ on Redis; state on PostgreSQL at
 * DATABASE_URL, or in a PGlite folder without it) is killed with SIGKILL while signed deliveries
 * stream in, then restarted; every acknowledged delivery must then be counted exactly once, and
 * nothing twice.
 */

const SECRET = 'state-crash-e2e-secret';
const ROOT = new URL('..', import.meta.url).pathname;
const USERS = Array.from({ length: 10 }, (_, i) => `crash-user-${i}`);
const TOTAL = 600;
const KILL_AFTER_ACKS = 200;
const CONCURRENCY = 16;

const databaseUrl = process.env['DATABASE_URL'];
// Without DATABASE_URL the app keeps its state in a PGlite folder, which must survive the SIGKILL too.
const backend = databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite in a folder';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`))));
  });
}

/** A running copy of `dist/main.js`. */
interface ChildApp {
  readonly process: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

async function startChild(env: NodeJS.ProcessEnv, cwd: string): Promise<ChildApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(build!, 'dist/main.js')], { cwd, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the sample app exited with ${child.exitCode}:\n${output}`);
    try {
      await getJson<AnalyticsSummary>(url, '/analytics/summary');
      return { process: child, url, output: () => output };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the sample app did not answer within 30 s:\n${output}`);
}

function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const schema = `crash_test_${randomUUID().replaceAll('-', '')}`;
const prefix = `amity-crash-test-${randomUUID().slice(0, 8)}`;
const children: ChildProcess[] = [];
let cwd: string | undefined;
let build: string | undefined;

describe(`sample app in durable mode on ${backend}, killed with SIGKILL mid-stream`, () => {
  let redisUrl: string;

  beforeAll(async () => {
    redisUrl = await testRedisUrl();
    // The test runs what `npm start` runs: the built app, from the current sources.
    await run('npm', ['run', 'build']);
    if (!existsSync(join(ROOT, 'dist/main.js'))) throw new Error('npm run build did not produce dist/main.js');
    // A copy of its own, so that a build started meanwhile (which empties dist/) cannot pull the app
    // away between the kill and the restart. It sits inside node_modules, where the app still finds
    // its packages, beside a link to the migrations it reads from ../migrations.
    build = join(ROOT, 'node_modules/.cache', `amity-state-crash-${randomUUID().slice(0, 8)}`);
    await cp(join(ROOT, 'dist'), join(build, 'dist'), { recursive: true });
    await symlink(join(ROOT, 'migrations'), join(build, 'migrations'));
    // No .env here: the child sees only the environment below.
    cwd = await mkdtemp(join(tmpdir(), 'amity-crash-'));
  }, 240_000);

  afterAll(async () => {
    for (const child of children) await killed(child, 'SIGKILL');
    if (cwd) await rm(cwd, { recursive: true, force: true });
    if (build) await rm(build, { recursive: true, force: true });
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
    }
    if (redisUrl) await dropPrefix(redisUrl, prefix);
  }, 60_000);

  it('counts every acknowledged delivery exactly once after a restart', async () => {
    // crashAndRestart asserts as it goes; it resolves only once every check has passed.
    await expect(crashAndRestart(redisUrl)).resolves.toBeUndefined();
  }, 240_000);
});

/** Streams deliveries to the app, SIGKILLs it, restarts it, and compares what was acknowledged with what it counted. */
async function crashAndRestart(redisUrl: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    AMITY_WEBHOOK_SECRETS: SECRET,
    AMITY_WEBHOOK_REDIS_URL: redisUrl,
    AMITY_WEBHOOK_QUEUE_PREFIX: prefix,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : { DATABASE_PGLITE_DIR: join(cwd!, 'pglite') }),
    AMITY_WEBHOOK_SPOOL_DIR: join(cwd!, 'spool'),
    ACTIVITY_MAX_ITEMS_PER_USER: String(TOTAL),
  };
  const first = await startChild(env, cwd!);
  children.push(first.process);

  // Stream signed deliveries; SIGKILL once KILL_AFTER_ACKS of them were acknowledged.
  const sent = new Set<string>();
  const acknowledged = new Set<string>();
  let next = 0;
  let dead = false;
  const sender = async (): Promise<void> => {
    while (!dead && next < TOTAL) {
      const index = next++;
      const messageId = `crash-msg-${index}-${randomUUID().slice(0, 8)}`;
      sent.add(messageId);
      const body = messageEvent({ messageId, userId: USERS[index % USERS.length]!, text: 'streamed' });
      try {
        const { status } = await postSigned(first.url, body, SECRET);
        if (status === 200) acknowledged.add(messageId);
      } catch {
        // Refused or reset by the dying process: not acknowledged.
      }
      if (!dead && acknowledged.size >= KILL_AFTER_ACKS) {
        dead = true;
        first.process.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  await killed(first.process, 'SIGKILL');
  expect(first.process.signalCode).toBe('SIGKILL');
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

  // Restart on the same Redis prefix and database. The jobs the killed process held are locked
  // until their lock expires (30 s) and the next stalled-job check hands them over (30 s more),
  // so wait for the queue itself to be empty rather than for the counts to look still.
  const second = await startChild(env, cwd!);
  children.push(second.process);
  const admin = await AmityBullmqAdmin.connect({ connection: redisUrl, prefix });
  let stats: AmityQueueStats;
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      stats = await admin.stats();
      if (stats.backlog === 0) break;
      if (Date.now() > deadline) throw new Error(`the queue still holds ${JSON.stringify(stats)} two minutes after the restart`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.close();
  }
  // No listener call failed for good: nothing sits in the dead letters.
  expect(stats.failed).toBe(0);
  const summary = await getJson<AnalyticsSummary>(second.url, '/analytics/summary');

  // Which deliveries took effect, and how often: every message is in its sender's feed.
  const seen = new Map<string, number>();
  for (const userId of USERS) {
    for (const item of await getJson<ActivityItem[]>(second.url, `/activity/${userId}`)) {
      seen.set(item.messageId!, (seen.get(item.messageId!) ?? 0) + 1);
    }
  }
  const twice = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  const lost = [...acknowledged].filter((id) => !seen.has(id));
  const unknown = [...seen.keys()].filter((id) => !sent.has(id));
  expect({ lost, twice, unknown }).toEqual({ lost: [], twice: [], unknown: [] });
  // Analytics counted each delivery that took effect once: the acknowledged ones, and those
  // stored but not yet acknowledged when the process died.
  expect(summary).toEqual({ total: seen.size, byEvent: { 'message.didCreate': seen.size } });
  await killed(second.process, 'SIGTERM');
}
