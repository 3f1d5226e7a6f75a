import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Headers, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { verifyAmitySignature } from '../signature/amity-signature.js';
import { amityFixture, signAmityFixture } from './amity-fixture.factory.js';
import { sendAmityWebhook } from './amity-webhook.client.js';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// A bare HTTP server stands in for the receiver: the client is tested on what it puts on the wire.
describe('sendAmityWebhook', () => {
  let server: Server;
  let base: string;
  let received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json', 'x-seen': 'yes' });
        res.end(req.url === '/teapot' ? '{"error":"🫖"}' : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
  });

  it('POSTs a signed fixture to /webhooks/amity and returns status, body and headers', async () => {
    const fixture = amityFixture('message.didCreate');
    const response = await sendAmityWebhook(base, fixture, { secret: 's3cret' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('{}');
    expect(response.headers.get('x-seen')).toBe('yes');
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/webhooks/amity' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(fixture)));
    expect(verifyAmitySignature(request!.body, request!.headers['x-amity-signature'] as string, ['s3cret'])).toBe(0);
  });

  it('sends the fixture of a known event name, and a string body byte for byte', async () => {
    await sendAmityWebhook(base, 'v3.post.didCreate', { secret: 's' });
    expect(JSON.parse(received[0]!.body.toString('utf8'))).toMatchObject({ event: 'v3.post.didCreate', data: { posts: [{ postId: 'post-9f8e7d6c5b4a' }] } });
    const exact = '{ "event" : "message.didCreate", "data": {"text": "é"} }';
    await sendAmityWebhook(base, exact, { secret: 's' });
    expect(received[1]!.body.equals(Buffer.from(exact, 'utf8'))).toBe(true);
    expect(verifyAmitySignature(received[1]!.body, received[1]!.headers['x-amity-signature'] as string, ['s'])).toBe(0);
  });

  it('uses the given path and lets headers replace the signature', async () => {
    const response = await sendAmityWebhook(base, 'tag.created', { secret: 's', path: '/teapot', headers: { 'x-amity-signature': 'forged', 'x-extra': '1' } });
    expect(response).toMatchObject({ status: 418, body: '{"error":"🫖"}' });
    expect(received[0]!.headers).toMatchObject({ 'x-amity-signature': 'forged', 'x-extra': '1' });
  });

  it('finds the URL of a listening app from its HTTP server, mapping wildcard hosts to loopback', async () => {
    const port = (server.address() as AddressInfo).port;
    const appOn = (address: Partial<AddressInfo> | string | null) => ({ getHttpServer: () => ({ address: () => address }) }) as unknown as INestApplication;
    await sendAmityWebhook(appOn({ address: '127.0.0.1', family: 'IPv4', port }), 'poll.didVote', { secret: 's' });
    await sendAmityWebhook(appOn({ address: '0.0.0.0', family: 'IPv4', port }), 'poll.didVote', { secret: 's' });
    expect(received).toHaveLength(2);
    await expect(sendAmityWebhook(appOn('/tmp/pipe.sock'), 'poll.didVote', { secret: 's' })).rejects.toThrow(/listens on a pipe/);
  });
});

@Controller('hooks')
class RecordingController {
  readonly seen: Array<{ signature: string | undefined; body: unknown }> = [];

  @Post('amity')
  @HttpCode(200)
  receive(@Headers('x-amity-signature') signature: string | undefined, @Body() body: unknown): object {
    this.seen.push({ signature, body });
    return {};
  }
}

@Module({ controllers: [RecordingController] })
class RecordingModule {}

// The `nest new` e2e pattern: createNestApplication() and init(), never listen().
describe.each(['fastify', 'express'] as const)('sendAmityWebhook to an app that was only initialised (%s)', (adapter) => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RecordingModule] }).compile();
    app = adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication(new ExpressAdapter());
    app.setGlobalPrefix('api');
    await app.init();
  });
  afterEach(() => app.close());

  it('goes through the app\'s routes at the given path, and leaves the app as init() left it', async () => {
    const fixture = amityFixture('message.didCreate');
    const response = await sendAmityWebhook(app, fixture, { secret: 'init-secret', path: '/api/hooks/amity' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('{}');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const [seen] = app.get(RecordingController).seen;
    expect(seen!.body).toEqual(JSON.parse(JSON.stringify(fixture)));
    expect(seen!.signature).toBe(signAmityFixture(fixture, 'init-secret').signature);
    expect(app.getHttpServer().address()).toBeNull();
  });

  it('answers concurrent sends, and a 404 for a path the app does not have', async () => {
    const responses = await Promise.all(
      ['a', 'b', 'c'].map((id) => sendAmityWebhook(app, amityFixture('poll.didVote', { poll: { pollId: id } } as never), { secret: 's', path: '/api/hooks/amity' })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(app.get(RecordingController).seen).toHaveLength(3);
    expect((await sendAmityWebhook(app, 'poll.didVote', { secret: 's' })).status).toBe(404);
    expect(app.getHttpServer().address()).toBeNull();
  });
});
