import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, HttpCode, Module, Post, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AmityWebhookGuard, AmityWebhookModule, signAmityPayload, type AmityGuardedRequest } from '../src/index.js';
import { rawPost } from './fixture/http.js';

const SECRET = 'guard-e2e-secret';

@Controller('own-hook')
class OwnHookController {
  @Post()
  @HttpCode(200)
  @UseGuards(AmityWebhookGuard)
  receive(@Req() request: AmityGuardedRequest) {
    const source = request.amityWebhook;
    return { verifiedBy: source === 'legacy' ? 'legacy' : source?.label };
  }
}

@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot({ secrets: SECRET })],
  controllers: [OwnHookController],
})
class GuardHostModule {}

describe('AmityWebhookGuard on a host controller (rawBody: true)', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(GuardHostModule, new FastifyAdapter(), { rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('passes a request signed over the raw bytes', async () => {
    const body = '{ "event": "message.didCreate", "data": {} }';
    const res = await rawPost(url, '/own-hook', { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, SECRET) }, body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ verifiedBy: 'webhook-0' });
  });

  it('rejects a re-serialised body and a missing signature with 401', async () => {
    const body = '{ "event": "message.didCreate", "data": {} }';
    const signature = signAmityPayload(body, SECRET);
    const reserialised = JSON.stringify(JSON.parse(body));
    expect((await rawPost(url, '/own-hook', { 'content-type': 'application/json', 'x-amity-signature': signature }, reserialised)).status).toBe(401);
    expect((await rawPost(url, '/own-hook', { 'content-type': 'application/json' }, body)).status).toBe(401);
  });
});
