import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { pingRedis, startRedisServer, type RedisServerHandle } from './redis-server.js';

function client(url: string): Redis {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  redis.on('error', () => undefined);
  return redis;
}

async function withClient<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = client(url);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

describe('startRedisServer', () => {
  let server: RedisServerHandle | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('starts a server on a free loopback port that answers at once', async () => {
    server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await expect(pingRedis(server.url)).resolves.toBeUndefined();
  });

  it('keeps the data across a graceful restart on the same port', async () => {
    server = await startRedisServer();
    const { url, port } = server;
    await withClient(url, (redis) => redis.set('kept', 'yes'));
    await server.restart();
    expect(server.port).toBe(port);
    expect(await withClient(url, (redis) => redis.get('kept'))).toBe('yes');
  });

  it('keeps append-only data across a SIGKILL', async () => {
    server = await startRedisServer({ appendOnly: true });
    await withClient(server.url, (redis) => redis.set('durable', '1'));
    await server.kill();
    await expect(pingRedis(server.url, 300)).rejects.toThrow(/no answer|ECONNREFUSED|closed/);
    await server.restart();
    expect(await withClient(server.url, (redis) => redis.get('durable'))).toBe('1');
  });

  it('stops answering while paused and answers again once resumed', async () => {
    server = await startRedisServer();
    server.pause();
    await expect(pingRedis(server.url, 300)).rejects.toThrow(/no answer|ECONNREFUSED|closed/);
    server.resume();
    await expect(pingRedis(server.url)).resolves.toBeUndefined();
  });

  it('stops gracefully even while paused', async () => {
    server = await startRedisServer();
    server.pause();
    await server.stop();
    await expect(pingRedis(server.url, 300)).rejects.toThrow(/no answer|ECONNREFUSED|closed/);
  });

  it('refuses a port that is already taken, with the server output', async () => {
    server = await startRedisServer();
    await expect(startRedisServer({ port: server.port })).rejects.toThrow(/port/i);
  });
});

describe('startRedisServer from a process that dies without stopping it', () => {
  it('leaves no redis-server behind', async () => {
    const loader = new URL('./typescript-import.loader.mjs', import.meta.url).href;
    const module = new URL('./redis-server.ts', import.meta.url).href;
    const script = `import { register } from 'node:module'; register(${JSON.stringify(loader)});
const { startRedisServer } = await import(${JSON.stringify(module)});
const server = await startRedisServer();
console.log(server.url);
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.once('data', (line: string) => resolve(line.trim()));
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before starting a server`)));
    });
    await expect(pingRedis(url)).resolves.toBeUndefined();
    child.kill('SIGKILL');
    let alive = true;
    for (let waited = 0; alive && waited < 5_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      alive = await pingRedis(url, 200).then(
        () => true,
        () => false,
      );
    }
    expect(alive).toBe(false);
  }, 15_000);
});
