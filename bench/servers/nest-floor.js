// Diagnostic contender (not in the default list): the floor's handler, mounted on the Fastify
// instance of a Nest app (FastifyAdapter, EventEmitterModule) the way the library mounts its
// route. The gap between floor and nest-floor is what hosting in Nest costs any receiver; the
// gap between nest-floor and ours is what the library itself costs.
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';
import { decorateClass } from '../lib/decorate.js';
import { serve } from './harness.js';

class AppModule {}
decorateClass(AppModule, Module({ imports: [EventEmitterModule.forRoot({ wildcard: true })] }));

await serve('nest-floor', async (port) => {
  let accepted = 0;
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  const instance = app.getHttpAdapter().getInstance();
  await instance.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(BENCH_PATH, (req, reply) => {
      const signature = req.headers[SIGNATURE_HEADER];
      const raw = req.body;
      const expected = createHmac('sha256', BENCH_SECRET).update(raw).digest();
      const provided = typeof signature === 'string' && signature.length === 44 ? Buffer.from(signature, 'base64') : undefined;
      if (provided === undefined || provided.length !== 32 || !timingSafeEqual(expected, provided)) {
        return reply.code(401).send({ message: 'Invalid signature' });
      }
      let payload;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).send({ message: 'Malformed JSON' });
      }
      if (payload !== null && typeof payload === 'object') accepted++;
      return reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{}');
    });
  });
  await app.listen(port, '127.0.0.1');
  return { port: app.getHttpServer().address().port, counters: () => ({ accepted }) };
});
