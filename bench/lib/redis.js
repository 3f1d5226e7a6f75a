// The Redis of the durable contenders: 127.0.0.1:6379 when it answers, otherwise a private
// `redis-server` on a free loopback port, started here and stopped at the end. Every key the
// bench writes is under one prefix of its own run, and only that prefix is ever deleted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const START_TIMEOUT_MS = 10_000;

/** Connects once, without retries or an offline queue, runs `use`, and disconnects; bounded by `timeoutMs`. */
async function oneShot(url, timeoutMs, use) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    disconnectTimeout: 0,
  });
  client.on('error', () => {});
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([client.connect().then(() => use(client)), deadline]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

const answers = (url) => oneShot(url, 1000, (c) => c.ping()).then((a) => a === 'PONG', () => false);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Redis to use: the one at `url` (127.0.0.1:6379) if it answers, else a private server (no
 * persistence: the bench measures the queue's cost, not the disk's).
 * @returns {Promise<{ url: string, own: boolean, version: string, stop: () => Promise<void> }>}
 */
export async function ensureRedis({ url: preferred = DEFAULT_URL } = {}) {
  if (await answers(preferred)) return { url: preferred, own: false, version: await serverVersion(preferred), stop: async () => {} };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'amity-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const failed = new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`redis-server could not be started (${error.message}); install it or start Redis on 6379`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before answering`)));
  });
  failed.catch(() => {});
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    while (!(await Promise.race([answers(url), failed]))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer within ${START_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    own: true,
    version: await serverVersion(url),
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 5000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function serverVersion(url) {
  return oneShot(url, 1000, (c) => c.info('server')).then((info) => /^redis_version:(\S+)/m.exec(info)?.[1] ?? '?', () => '?');
}

/**
 * Deletes every key that starts with `prefix` (SCAN + UNLINK in batches), within `timeoutMs`.
 * @returns {Promise<number>} keys deleted
 */
export async function deletePrefix(url, prefix, timeoutMs = 60_000) {
  if (!/^amity-bench:[\w-]+:/.test(prefix)) throw new Error(`refusing to delete keys outside the bench's own prefix: ${prefix}`);
  return oneShot(url, timeoutMs, async (client) => {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  });
}
