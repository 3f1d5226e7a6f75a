import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testRedisUrl } from '../support/test-redis.js';
import { uniquePrefix } from './durable.helpers.js';

const here = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('a worker-only process as a Nest application context (no HTTP adapter)', () => {
  // A durable worker (queue.worker, nothing to receive) needs no HTTP server.
  it('boots, processes nothing it cannot, and closes', async () => {
    const url = await testRedisUrl();
    const child = spawn(process.execPath, ['--import', here('register-ts.mjs'), here('worker-context.ts')], {
      env: { PATH: process.env['PATH'], HOST_APP_REDIS_URL: url, HOST_APP_PREFIX: uniquePrefix() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    clearTimeout(timer);
    expect({ code, ready: output.includes('ready') }).toEqual({ code: 0, ready: true });
  }, 30_000);
});
