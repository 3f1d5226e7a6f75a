// The durable Nest floor: the least a receiver built the way the design card asks (a Nest
// controller behind a signature guard, on Fastify) must do before it answers: Nest's
// `rawBody: true`, a guard that checks the signature as the floors do, then the same store as
// `durable-floor` (`bench/lib/floor-queue.js`) awaited before `200 {}`. No envelope checks, no
// deduplication, no spool, no timeout: what is left of `ours-durable` beyond it is the library's.
// Set up by the parent with BENCH_REDIS_URL and BENCH_PREFIX.
import 'reflect-metadata';
import { Controller, HttpCode, Injectable, Module, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { BENCH_PATH } from '../payload.js';
import { decorateClass, decorateMethod, paramTypes } from '../lib/decorate.js';
import { floorQueue } from '../lib/floor-queue.js';
import { floorDigest } from '../lib/floor-route.js';
import { serve } from './harness.js';

const queue = floorQueue();
const counter = { accepted: 0 };

class SignatureGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    const digest = request.rawBody ? floorDigest(request.headers, request.rawBody) : undefined;
    if (digest === undefined) throw new UnauthorizedException('Invalid signature');
    request.digest = digest;
    return true;
  }
}
decorateClass(SignatureGuard, Injectable());

class WebhookController {
  async receive(request) {
    await queue.store(request.rawBody, request.digest);
    counter.accepted++;
    return {};
  }
}
paramTypes(WebhookController.prototype, 'receive', [Object]);
decorateMethod(WebhookController.prototype, 'receive', Post(), HttpCode(200), UseGuards(SignatureGuard));
Req()(WebhookController.prototype, 'receive', 0);
decorateClass(WebhookController, Controller(BENCH_PATH.slice(1)));

class AppModule {}
decorateClass(AppModule, Module({ controllers: [WebhookController] }));

await serve('durable-nest-floor', async (port) => {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { rawBody: true, logger: ['error', 'warn'] });
  await app.listen(port, '127.0.0.1');
  return {
    port: app.getHttpServer().address().port,
    close: async () => {
      await app.close();
      await queue.close();
    },
    counters: () => ({ accepted: counter.accepted }),
  };
});
