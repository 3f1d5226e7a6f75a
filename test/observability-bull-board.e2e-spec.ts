import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMITY_BULLMQ_QUEUE_NAME } from 'nestjs-amity-webhook';
import { ADMIN_AUTH_CHALLENGE } from '../src/observability/admin-access.config.js';
import { messageEvent } from './support/amity-payload.factory.js';
import { dropPrefix, testRedisUrl } from './support/redis.js';
import { startSampleApp, type SampleApp, type SampleAppEnv } from './support/sample-app.harness.js';
import { postSigned } from './support/webhook.client.js';

const SECRET = 'bull-board-e2e-secret';
const BOARD = '/admin/queues';

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

interface BoardQueues {
  queues: { name: string; counts: Record<string, number> }[];
}

/** The answer to one request as the client sees it (status, challenge, body). */
async function answer(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.text() };
}

/**
 * The same, for a request from another machine: a loopback connection whose server side claims
 * `remoteAddress`, handed to the app's HTTP server (what the access rules read is the socket's
 * address).
 */
async function answerFrom(sample: SampleApp, remoteAddress: string, path: string) {
  const relay = createServer();
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = relay.address() as AddressInfo;
    const accepted = once(relay, 'connection') as Promise<[Socket]>;
    const client = connect(port, '127.0.0.1');
    const [serverSide] = await accepted;
    Object.defineProperty(serverSide, 'remoteAddress', { value: remoteAddress });
    (sample.app.getHttpServer() as HttpServer).emit('connection', serverSide);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request({ createConnection: () => client, path, headers: { connection: 'close' } }, resolve).on('error', reject).end();
    });
    let body = '';
    for await (const chunk of response) body += String(chunk);
    client.destroy();
    return { status: response.statusCode, challenge: response.headers['www-authenticate'] ?? null, body };
  } finally {
    relay.close();
  }
}

describe('Bull Board at /admin/queues: durable mode only, behind the dashboard access rules', () => {
  let redisUrl: string;
  let spool: string;
  const prefixes: string[] = [];
  let sample: SampleApp | undefined;

  /** Boots the sample app in durable mode on a prefix of its own, with `ADMIN_*` set for the boot only. */
  async function startDurable(admin: { ADMIN_USERNAME?: string; ADMIN_PASSWORD?: string } = {}, env: SampleAppEnv = {}): Promise<SampleApp> {
    const prefix = `bull-board-${process.pid}-${prefixes.length}`;
    prefixes.push(prefix);
    return startWithAdmin(admin, { AMITY_WEBHOOK_REDIS_URL: redisUrl, AMITY_WEBHOOK_QUEUE_PREFIX: prefix, AMITY_WEBHOOK_SPOOL_DIR: join(spool, prefix), ...env });
  }

  async function startWithAdmin(admin: { ADMIN_USERNAME?: string; ADMIN_PASSWORD?: string }, env: SampleAppEnv = {}): Promise<SampleApp> {
    const saved = { ADMIN_USERNAME: process.env['ADMIN_USERNAME'], ADMIN_PASSWORD: process.env['ADMIN_PASSWORD'] };
    for (const key of ['ADMIN_USERNAME', 'ADMIN_PASSWORD'] as const) {
      if (admin[key] === undefined) delete process.env[key];
      else process.env[key] = admin[key];
    }
    try {
      sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET, ...env });
      return sample;
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  beforeAll(async () => {
    redisUrl = await testRedisUrl();
    spool = await mkdtemp(join(tmpdir(), 'amity-bull-board-spool-'));
  });
  afterEach(async () => {
    await sample?.app.close();
    sample = undefined;
  }, 30_000);
  afterAll(async () => {
    for (const prefix of prefixes) await dropPrefix(redisUrl, prefix);
    await rm(spool, { recursive: true, force: true });
  });

  it('serves the board page and its API over the deliveries queue in durable mode, linked from the dashboard', async () => {
    const app = await startDurable();
    const page = await fetch(`${app.url}${BOARD}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`<base href="${BOARD}/" />`);
    expect(html).toContain('<title>social.plus webhooks</title>');
    // The UI's own files are served too, and nothing outside their folder.
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${app.url}${BOARD}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${app.url}${BOARD}/static/..%2F..%2Fpackage.json`)).status).toBe(404);

    expect((await postSigned(app.url, messageEvent(), SECRET)).status).toBe(200);
    await app.dispatcher.onIdle();
    const api = await fetch(`${app.url}${BOARD}/api/queues`);
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as BoardQueues;
    expect(queues.map((queue) => queue.name)).toEqual([AMITY_BULLMQ_QUEUE_NAME]);
    expect(AMITY_BULLMQ_QUEUE_NAME).toBe('deliveries');
    expect(queues[0]!.counts).toMatchObject({ failed: 0, waiting: 0, active: 0 });

    // The dashboard links to it; its script shows the link in durable mode only.
    expect(await (await fetch(`${app.url}/`)).text()).toContain('<a id="queues-link" href="/admin/queues" hidden>');
    expect(await (await fetch(`${app.url}/dashboard/app.js`)).text()).toContain("$('queues-link').hidden = data.mode !== 'durable';");
    expect(((await (await fetch(`${app.url}/dashboard/data`)).json()) as { mode: string }).mode).toBe('durable');

    // Open on loopback only in development, as the dashboard: another machine gets the dashboard's 403.
    for (const path of [BOARD, `${BOARD}/api/queues`, `${BOARD}/${script}`]) {
      const refused = await answerFrom(app, '203.0.113.7', path);
      expect(refused).toEqual(await answerFrom(app, '203.0.113.7', '/'));
      expect(refused.status).toBe(403);
    }
  }, 60_000);

  it('asks for the admin credentials when they are set, on every route of the board, as the dashboard does', async () => {
    const app = await startDurable({ ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'correct horse' }, { NODE_ENV: 'production' });
    const dashboard = await answer(`${app.url}/`);
    expect(dashboard.status).toBe(401);
    for (const path of [BOARD, `${BOARD}/`, `${BOARD}/api/queues`, `${BOARD}/queue/${AMITY_BULLMQ_QUEUE_NAME}`, `${BOARD}/static/images/logo.svg`]) {
      const refused = await answer(`${app.url}${path}`);
      expect(refused).toEqual(dashboard);
      expect(refused.challenge).toBe(ADMIN_AUTH_CHALLENGE);
      expect(await answer(`${app.url}${path}`, basic('ops', 'wrong'))).toEqual(dashboard);
      expect((await answer(`${app.url}${path}`, basic('ops', 'correct horse'))).status).toBe(200);
    }
    const api = await fetch(`${app.url}${BOARD}/api/queues`, { headers: basic('ops', 'correct horse') });
    expect(((await api.json()) as BoardQueues).queues.map((queue) => queue.name)).toEqual([AMITY_BULLMQ_QUEUE_NAME]);
  }, 60_000);

  it('is not served in production without credentials, as the dashboard', async () => {
    const app = await startDurable({}, { NODE_ENV: 'production' });
    expect((await fetch(`${app.url}/`)).status).toBe(404);
    for (const path of [BOARD, `${BOARD}/api/queues`, `${BOARD}/static/images/logo.svg`]) expect((await fetch(`${app.url}${path}`)).status).toBe(404);
  }, 60_000);

  it('is absent in memory mode (404), while the dashboard is served without the link', async () => {
    const app = await startWithAdmin({});
    for (const path of [BOARD, `${BOARD}/`, `${BOARD}/api/queues`, `${BOARD}/static/images/logo.svg`]) expect((await fetch(`${app.url}${path}`)).status).toBe(404);
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    expect(((await (await fetch(`${app.url}/dashboard/data`)).json()) as { mode: string }).mode).toBe('memory');
  }, 60_000);
});
