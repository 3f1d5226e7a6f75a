// Diagnostic contender (not in the default list): the floor's handler, mounted on the Fastify
// instance of a Nest app (FastifyAdapter, EventEmitterModule) the way the library mounts its
// route. The gap between floor and nest-floor is what hosting in Nest costs any receiver; the
// gap between nest-floor and ours is what the library itself costs.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mountFloorRoute } from '../lib/floor-route.js';
import { decorateClass } from '../lib/decorate.js';
import { serve } from './harness.js';

class AppModule {}
decorateClass(AppModule, Module({ imports: [EventEmitterModule.forRoot({ wildcard: true })] }));

await serve('nest-floor', async (port) => {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  const instance = app.getHttpAdapter().getInstance();
  let counter;
  await instance.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    counter = mountFloorRoute(scope);
  });
  await app.listen(port, '127.0.0.1');
  return { port: app.getHttpServer().address().port, counters: () => ({ accepted: counter.accepted }) };
});
