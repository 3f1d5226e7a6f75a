import { afterEach, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { connect } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AmityWebhookDispatcher, AmityWebhookModule, type AmityWebhookModuleOptions } from '../src/index.js';
import { amityFixture, serializeAmityFixture, signAmityPayload } from '../src/testing/index.js';
import { FixtureRecorder } from './fixture/fixture.app.js';
import { rawPost, type RawResponse } from './fixture/http.js';

const SECRET = 'fast-lane-secret';
const PATH = '/webhooks/amity';

@Controller('health')
class HealthController {
  @Get()
  health(): { ok: true } {
    return { ok: true };
  }
}

interface LaneApp {
  app: NestFastifyApplication;
  url: string;
  recorder: FixtureRecorder;
  /** URLs that went through Fastify's lifecycle (a host-level onRequest hook saw them). */
  routed: string[];
}

let current: NestFastifyApplication | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A host app with an onRequest hook of its own, as hosts add for logging or tracing. */
async function boot(options: Partial<AmityWebhookModuleOptions> = {}): Promise<LaneApp> {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot({ secrets: SECRET, ...options })],
    controllers: [HealthController],
    providers: [FixtureRecorder],
  })
  class LaneModule {}
  const app = await NestFactory.create<NestFastifyApplication>(LaneModule, new FastifyAdapter(), { logger: false, abortOnError: false });
  current = app;
  const routed: string[] = [];
  (app.getHttpAdapter().getInstance() as FastifyInstance).addHook('onRequest', (req, _reply, done) => {
    routed.push(`${req.method} ${req.url}`);
    done();
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, recorder: app.get(FixtureRecorder), routed };
}

function signedMessage(messageId: string): { body: string; headers: Record<string, string> } {
  const fixture = amityFixture('message.didCreate');
  fixture.data.messages[0]!.messageId = messageId;
  const body = serializeAmityFixture(fixture);
  return { body, headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, SECRET) } };
}

async function settle(app: NestFastifyApplication): Promise<void> {
  await app.get(AmityWebhookDispatcher).onIdle();
}

/** A POST whose body is sent with chunked transfer encoding, in two pieces. */
function chunkedPost(url: string, path: string, headers: Record<string, string>, body: string): Promise<RawResponse> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    req.end(body.slice(half));
  });
}

describe('the Fastify fast lane', () => {
  it('answers a signed delivery ahead of Fastify, while the host routes keep its lifecycle', async () => {
    const { app, url, recorder, routed } = await boot();
    const { body, headers } = signedMessage('m-lane-1');
    const response = await rawPost(url, PATH, headers, body);
    expect(response.status).toBe(200);
    expect(response.body).toBe('{}');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-length']).toBe('2');
    await settle(app);
    expect(recorder.messages.map((e) => e.data.messages[0]!.messageId)).toEqual(['m-lane-1']);
    expect(routed).toEqual([]);

    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ ok: true });
    expect(routed).toEqual(['GET /health']);
  });

  it('gives the same answers as the routed path, byte for byte', async () => {
    const lane = await boot();
    const cases: Array<[string, Record<string, string>, string]> = [
      ['signed', signedMessage('m-same').headers, signedMessage('m-same').body],
      ['bad signature', { ...signedMessage('m-x').headers, 'x-amity-signature': signAmityPayload('other', SECRET) }, signedMessage('m-x').body],
      ['missing signature', { 'content-type': 'application/json' }, signedMessage('m-y').body],
      ['legacy duplicate', { 'content-type': 'application/json', 'x-eko-signature': 'anything' }, signedMessage('m-z').body],
      ['malformed JSON', { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload('{"event":', SECRET) }, '{"event":'],
    ];
    const viaLane: Array<[number, string, string | string[] | undefined]> = [];
    for (const [, headers, body] of cases) {
      const r = await rawPost(lane.url, PATH, headers, body);
      viaLane.push([r.status, r.body, r.headers['content-type']]);
    }
    expect(lane.routed).toEqual([]);
    await lane.app.close();

    const routedApp = await boot({ fastLane: false });
    const viaRouter: typeof viaLane = [];
    for (const [, headers, body] of cases) {
      const r = await rawPost(routedApp.url, PATH, headers, body);
      viaRouter.push([r.status, r.body, r.headers['content-type']]);
    }
    expect(routedApp.routed).toHaveLength(cases.length);
    expect(viaLane).toEqual(viaRouter);
    expect(viaLane.map(([status]) => status)).toEqual([200, 401, 401, 200, 400]);
  });

  it('leaves what it does not fully recognise to Fastify, which answers it with the same handler', async () => {
    const { app, url, recorder, routed } = await boot({ bodyLimit: 64 * 1024 });
    const query = signedMessage('m-query');
    expect((await fetch(`${url}${PATH}?source=eu`, { method: 'POST', headers: query.headers, body: query.body })).status).toBe(200);
    const chunked = signedMessage('m-chunked');
    const response = await chunkedPost(url, PATH, { ...chunked.headers, 'transfer-encoding': 'chunked' }, chunked.body);
    expect(response.status).toBe(200);
    await settle(app);
    expect(recorder.messages.map((e) => e.data.messages[0]!.messageId).sort()).toEqual(['m-chunked', 'm-query']);
    expect(routed).toEqual([`POST ${PATH}?source=eu`, `POST ${PATH}`]);

    const tooLarge = await rawPost(url, PATH, { 'content-type': 'application/json' }, 'x'.repeat(64 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ statusCode: 413, message: `Body exceeds the limit of ${64 * 1024} bytes` });
    const text = await rawPost(url, PATH, { 'content-type': 'text/plain' }, 'hello');
    expect(text.status).toBe(415);
    const get = await fetch(`${url}${PATH}`);
    expect(get.status).toBe(405);
    expect(routed).toHaveLength(5);
  });

  it('loses nothing and stays up when a client goes away mid-body', async () => {
    const { app, url, recorder } = await boot();
    const { body, headers } = signedMessage('m-abandoned');
    const { port } = new URL(url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        const head = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n');
        socket.write(`POST ${PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n\r\n${body.slice(0, 100)}`);
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const next = signedMessage('m-after');
    expect((await rawPost(url, PATH, next.headers, next.body)).status).toBe(200);
    await settle(app);
    expect(recorder.messages.map((e) => e.data.messages[0]!.messageId)).toEqual(['m-after']);
  });

  it('is off with fastLane: false, and with allowedIps (the source address then follows trustProxy)', async () => {
    for (const options of [{ fastLane: false }, { allowedIps: { addresses: ['127.0.0.1/32'] } }] satisfies Array<Partial<AmityWebhookModuleOptions>>) {
      const { app, url, recorder, routed } = await boot(options);
      const { body, headers } = signedMessage('m-routed');
      expect((await rawPost(url, PATH, headers, body)).status).toBe(200);
      await settle(app);
      expect(recorder.messages).toHaveLength(1);
      expect(routed).toEqual([`POST ${PATH}`]);
      await app.close();
      current = undefined;
    }
  });

  it('refuses a non-boolean fastLane at boot', async () => {
    await expect(boot({ fastLane: 'yes' as unknown as boolean })).rejects.toThrow('`fastLane` must be a boolean');
  });
});
