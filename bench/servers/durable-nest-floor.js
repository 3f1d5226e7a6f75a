// The durable Nest floor: the least a receiver built the way the design card asks (a Nest
// controller behind a signature guard, on Fastify) must do before it answers: Nest's
// `rawBody: true`, a guard that HMACs the raw bytes, then the same `Queue.add` as `durable-floor`
// (the body as base64, the HMAC as job id) awaited before `200 {}`. No envelope checks, no
// deduplication, no spool, no timeout: what is left of `ours-durable` beyond it is the library's.
// Set up by the parent with BENCH_REDIS_URL and BENCH_PREFIX.
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Controller, HttpCode, Injectable, Module, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';
import { decorateClass, decorateMethod, paramTypes } from '../lib/decorate.js';
import { serve } from './harness.js';

const { hostname, port: redisPort } = new URL(process.env.BENCH_REDIS_URL);
const queue = new Queue('deliveries', {
  connection: { host: hostname, port: Number(redisPort), maxRetriesPerRequest: null },
  prefix: process.env.BENCH_PREFIX,
});
const counter = { accepted: 0 };

class SignatureGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    const signature = request.headers[SIGNATURE_HEADER];
    const provided = typeof signature === 'string' && signature.length === 44 ? Buffer.from(signature, 'base64') : undefined;
    if (provided === undefined || provided.length !== 32 || !request.rawBody) throw new UnauthorizedException('Invalid signature');
    const digest = createHmac('sha256', BENCH_SECRET).update(request.rawBody).digest();
    if (!timingSafeEqual(digest, provided)) throw new UnauthorizedException('Invalid signature');
    request.digest = digest;
    return true;
  }
}
decorateClass(SignatureGuard, Injectable());

class WebhookController {
  async receive(request) {
    await queue.add('delivery', { body: request.rawBody.toString('base64'), receivedAt: Date.now() }, { jobId: request.digest.toString('hex'), removeOnComplete: true });
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
