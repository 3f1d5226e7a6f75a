import { afterEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AmityWebhookDispatcher, AmityWebhookModule } from '../src/index.js';
import { FixtureRecorder } from './fixture/fixture.app.js';
import { postSigned, rawPost } from './fixture/http.js';

const SECRET = 'adapters-secret';

@Controller('host')
class HostController {
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown) {
    return { parsed: body };
  }
}

@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot({ secrets: SECRET })],
  controllers: [HostController],
  providers: [FixtureRecorder],
})
class HostModule {}

const variants = [
  ['fastify', false],
  ['fastify', true],
  ['express', false],
  ['express', true],
] as const;

describe.each(variants)('a host app on %s (rawBody: %s)', (adapter, rawBody) => {
  let app: INestApplication;
  afterEach(() => app.close());

  it('keeps normal body parsing on its own routes while the webhook route verifies raw bytes', async () => {
    app = await NestFactory.create(HostModule, adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { rawBody, logger: false });
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();

    const echoed = await rawPost(url, '/host/echo', { 'content-type': 'application/json' }, '{ "hello": "wörld" }');
    expect(echoed.status).toBe(200);
    expect(JSON.parse(echoed.body)).toEqual({ parsed: { hello: 'wörld' } });

    const body = '{ "event": "message.didCreate", "data": { "messages": [ { "messageId": "m", "channelId": "c", "userId": "u" } ] } }';
    const res = await postSigned(url, body, SECRET);
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    await app.get(AmityWebhookDispatcher).onIdle();
    expect(app.get(FixtureRecorder).messages).toHaveLength(1);
  });
});

describe.each(['fastify', 'express'] as const)('an app built with @nestjs/testing on %s (the module is instantiated before the adapter exists)', (adapter) => {
  it('still verifies raw bytes on the webhook route and parses host routes normally', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    const app = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();
      const body = '{ "event": "message.didCreate", "data": { "messages": [ { "messageId": "m", "channelId": "c", "userId": "u" } ] } }';
      expect((await postSigned(url, body, SECRET)).status).toBe(200);
      const echoed = await rawPost(url, '/host/echo', { 'content-type': 'application/json' }, '{"a":1}');
      expect(JSON.parse(echoed.body)).toEqual({ parsed: { a: 1 } });
      await app.get(AmityWebhookDispatcher).onIdle();
      expect(app.get(FixtureRecorder).messages).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe('boot-time checks', () => {
  it('fails fast, naming the module, when the app has no HTTP adapter', async () => {
    @Module({ imports: [EventEmitterModule.forRoot(), AmityWebhookModule.forRoot({ secrets: SECRET })] })
    class StandaloneModule {}
    const boot = NestFactory.createApplicationContext(StandaloneModule, { logger: false, abortOnError: false }).then((ctx) => ctx.init());
    await expect(boot).rejects.toThrow(/\[nestjs-amity-webhook\] AmityWebhookModule: no HTTP adapter found/);
  });
});
