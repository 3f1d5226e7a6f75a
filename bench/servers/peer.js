// The peer: the textbook Nest webhook receiver, as tutorials and most code bases write it.
//   - NestFactory.create(..., { rawBody: true }) so a guard can HMAC the raw bytes
//   - a signature guard (createHmac + timingSafeEqual on the Base64 strings)
//   - a global ValidationPipe({ whitelist: true, transform: true }) and class-validator DTOs
//   - @Post() @HttpCode(200) returning {}, after EventEmitter2.emit('amity.message.didCreate', dto)
// The DTOs carry the same constraints as the library's, so both validate the same things.
// (Plain JS: decorators are applied by hand, with the metadata `tsc --emitDecoratorMetadata` emits.)
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  Body,
  Controller,
  HttpCode,
  Injectable,
  Module,
  Post,
  UnauthorizedException,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  Equals,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';
import { decorateClass, decorateMethod, decorateProperty, paramTypes } from '../lib/decorate.js';
import { serve } from './harness.js';

// --- DTOs ------------------------------------------------------------------------------------
class HashFlagDto {}
decorateProperty(HashFlagDto.prototype, 'bits', Number, IsOptional(), IsNumber());
decorateProperty(HashFlagDto.prototype, 'hashes', Number, IsOptional(), IsNumber());
decorateProperty(HashFlagDto.prototype, 'hash', Array, IsOptional(), IsArray());

class MessageDto {}
{
  const p = MessageDto.prototype;
  decorateProperty(p, 'messageId', String, IsString(), IsNotEmpty());
  decorateProperty(p, 'channelId', String, IsString(), IsNotEmpty());
  decorateProperty(p, 'userId', String, IsString(), IsNotEmpty());
  decorateProperty(p, 'type', String, IsOptional(), IsString());
  decorateProperty(p, 'data', Object, IsOptional(), IsObject());
  decorateProperty(p, 'metadata', Object, IsOptional(), IsObject());
  decorateProperty(p, 'parentId', String, IsOptional(), IsString());
  decorateProperty(p, 'fileId', String, IsOptional(), IsString());
  decorateProperty(p, 'tags', Array, IsOptional(), IsArray());
  decorateProperty(p, 'channelSegment', Number, IsOptional(), IsNumber());
  decorateProperty(p, 'isDeleted', Boolean, IsOptional(), IsBoolean());
  decorateProperty(p, 'flagCount', Number, IsOptional(), IsNumber());
  decorateProperty(p, 'hashFlag', HashFlagDto, IsOptional(), ValidateNested(), Type(() => HashFlagDto));
  decorateProperty(p, 'reactions', Object, IsOptional(), IsObject());
  decorateProperty(p, 'reactionsCount', Number, IsOptional(), IsNumber());
  decorateProperty(p, 'mentionees', Array, IsOptional(), IsArray());
  decorateProperty(p, 'createdAt', String, IsOptional(), IsString());
  decorateProperty(p, 'updatedAt', String, IsOptional(), IsString());
  decorateProperty(p, 'editedAt', String, IsOptional(), IsString());
}

class UserDto {}
{
  const p = UserDto.prototype;
  decorateProperty(p, 'userId', String, IsString(), IsNotEmpty());
  decorateProperty(p, 'displayName', String, IsOptional(), IsString());
  decorateProperty(p, 'description', String, IsOptional(), IsString());
  decorateProperty(p, 'avatarFileId', String, IsOptional(), IsString());
  decorateProperty(p, 'roles', Array, IsOptional(), IsArray());
  decorateProperty(p, 'metadata', Object, IsOptional(), IsObject());
  decorateProperty(p, 'flagCount', Number, IsOptional(), IsNumber());
  // The vendor's sample spells it `hashflag`.
  decorateProperty(p, 'hashflag', HashFlagDto, IsOptional(), ValidateNested(), Type(() => HashFlagDto));
  decorateProperty(p, 'createdAt', String, IsOptional(), IsString());
  decorateProperty(p, 'updatedAt', String, IsOptional(), IsString());
}

class MessageDidCreateDataDto {}
decorateProperty(MessageDidCreateDataDto.prototype, 'messages', Array, IsArray(), ArrayNotEmpty(), ValidateNested({ each: true }), Type(() => MessageDto));
decorateProperty(MessageDidCreateDataDto.prototype, 'users', Array, IsOptional(), IsArray(), ValidateNested({ each: true }), Type(() => UserDto));

class MessageDidCreateWebhookDto {}
decorateProperty(MessageDidCreateWebhookDto.prototype, 'event', String, IsString(), Equals('message.didCreate'));
decorateProperty(MessageDidCreateWebhookDto.prototype, 'data', MessageDidCreateDataDto, ValidateNested(), Type(() => MessageDidCreateDataDto));

// --- Guard -----------------------------------------------------------------------------------
class AmitySignatureGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    const signature = request.headers[SIGNATURE_HEADER];
    if (typeof signature !== 'string' || !request.rawBody) throw new UnauthorizedException('Missing signature');
    const expected = createHmac('sha256', BENCH_SECRET).update(request.rawBody).digest('base64');
    const a = Buffer.from(signature);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new UnauthorizedException('Invalid signature');
    return true;
  }
}
decorateClass(AmitySignatureGuard, Injectable());

// --- Controller and listener -----------------------------------------------------------------
class WebhookController {
  constructor(events) {
    this.events = events;
  }

  receive(body) {
    this.events.emit(`amity.${body.event}`, body);
    return {};
  }
}
paramTypes(WebhookController.prototype, 'receive', [MessageDidCreateWebhookDto]);
decorateMethod(WebhookController.prototype, 'receive', Post(), HttpCode(200), UseGuards(AmitySignatureGuard));
Body()(WebhookController.prototype, 'receive', 0);
paramTypes(WebhookController, undefined, [EventEmitter2]);
decorateClass(WebhookController, Controller(BENCH_PATH.slice(1)));

class MessageListener {
  count = 0;
  onMessage() {
    this.count++;
  }
}
paramTypes(MessageListener.prototype, 'onMessage', [MessageDidCreateWebhookDto]);
decorateMethod(MessageListener.prototype, 'onMessage', OnEvent('amity.message.didCreate'));
decorateClass(MessageListener, Injectable());

class AppModule {}
decorateClass(
  AppModule,
  Module({ imports: [EventEmitterModule.forRoot()], controllers: [WebhookController], providers: [MessageListener] }),
);

await serve('peer', async (port) => {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { rawBody: true, logger: ['error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  await app.listen(port, '127.0.0.1');
  const listener = app.get(MessageListener);
  return {
    port: app.getHttpServer().address().port,
    counters: () => ({ dispatched: listener.count }),
  };
});
