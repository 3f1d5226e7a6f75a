import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  HttpException,
  type ArgumentsHost,
  type ExceptionFilter,
  type MiddlewareConsumer,
  type NestModule,
  Get,
  Injectable,
  Module,
  RequestMethod,
  SetMetadata,
  UnauthorizedException,
  VersioningType,
  type CallHandler,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, HttpAdapterHost, NestFactory, Reflector } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Observable } from 'rxjs';
import { AmityWebhookModule, type AmityWebhookModuleExtras } from '../src/index.js';
import { FIXTURE_ADAPTERS, FixtureRecorder, type FixtureAdapter, type FixtureMode } from './fixture/fixture.app.js';
import { postSigned, rawPost } from './fixture/http.js';

const SECRET = 'host-app-secret';
const IS_PUBLIC = 'host:isPublic';
/** The host's own decorator that exempts a route from its global auth guard. */
const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The host's global auth guard: everything needs a bearer token unless marked @Public(). */
@Injectable()
class HostAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (request.headers['authorization'] === 'Bearer host-token') return true;
    throw new UnauthorizedException('host auth required');
  }
}

/** The host's global interceptor: records every request it sees (its logging/tracing stand-in). */
@Injectable()
class HostInterceptor implements NestInterceptor {
  static readonly seen: string[] = [];
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ method: string; url: string }>();
    HostInterceptor.seen.push(`${request.method} ${request.url}`);
    return next.handle();
  }
}

/** The host's global exception filter: answers every HTTP error in its own envelope. */
@Catch(HttpException)
class HostFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}
  catch(exception: HttpException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<unknown>();
    this.adapterHost.httpAdapter.reply(response, { hostError: exception.getStatus(), detail: exception.message }, exception.getStatus());
  }
}

/** The host's own middleware, applied to every route. */
const middlewareSeen: string[] = [];

@Controller('status')
class StatusController {
  @Get()
  status(): { ok: true } {
    return { ok: true };
  }
}

function webhookModule(mode: FixtureMode, extras: AmityWebhookModuleExtras): DynamicModule {
  if (mode === 'forRoot') return AmityWebhookModule.forRoot({ secrets: SECRET, ...extras });
  return AmityWebhookModule.forRootAsync({
    ...extras,
    imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SECRET })] })],
    inject: [ConfigService],
    useFactory: (config: ConfigService) => ({ secrets: config.getOrThrow<string>('SECRET') }),
  });
}

function hostModule(mode: FixtureMode, extras: AmityWebhookModuleExtras) {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), webhookModule(mode, extras)],
    controllers: [StatusController],
    providers: [
      FixtureRecorder,
      { provide: APP_GUARD, useClass: HostAuthGuard },
      { provide: APP_INTERCEPTOR, useClass: HostInterceptor },
      { provide: APP_FILTER, useClass: HostFilter },
    ],
  })
  class HostModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer
        .apply((req: { method: string; originalUrl?: string; url: string }, _res: unknown, next: () => void) => {
          middlewareSeen.push(`${req.method} ${req.originalUrl ?? req.url}`);
          next();
        })
        .forRoutes('*path');
    }
  }
  return HostModule;
}

const body = (id: string): string =>
  JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: id, channelId: 'c', userId: 'u', data: { text: 'hi' } }], users: [] } });

describe.each(FIXTURE_ADAPTERS)('a host app with a global prefix, interceptor and auth guard (%s)', (adapter: FixtureAdapter) => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    HostInterceptor.seen.length = 0;
    middlewareSeen.length = 0;
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function boot(mode: FixtureMode, extras: AmityWebhookModuleExtras, setup: (app: INestApplication) => void = (app) => app.setGlobalPrefix('api')) {
    const app = await NestFactory.create(hostModule(mode, extras), adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false, abortOnError: false });
    setup(app);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return { app, url: await app.getUrl(), recorder: app.get(FixtureRecorder) };
  }

  it.each<FixtureMode>(['forRoot', 'forRootAsync'])('receives signed events at /api/webhooks/amity, seen by its interceptor, let through only because of decorators (%s)', async (mode) => {
    const { url, recorder } = await boot(mode, { decorators: [Public()] });
    const res = await postSigned(url, body('m1'), SECRET, '/api/webhooks/amity');
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    expect(HostInterceptor.seen).toContain('POST /api/webhooks/amity');
    expect(middlewareSeen).toContain('POST /api/webhooks/amity');
    const deadline = Date.now() + 2_000;
    while (recorder.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(recorder.messages.map((e) => e.data.messages[0]!.messageId)).toEqual(['m1']);
    // Not under the unprefixed path any more.
    expect((await postSigned(url, body('m2'), SECRET, '/webhooks/amity')).status).toBe(404);
    // A forged signature: the module's guard answers 401.
    const forged = await rawPost(url, '/api/webhooks/amity', { 'content-type': 'application/json', 'x-amity-signature': `${'A'.repeat(43)}=` }, body('m3'));
    expect(forged.status).toBe(401);
    // The host's exception filter shaped the answer.
    expect(JSON.parse(forged.body)).toEqual({ hostError: 401, detail: expect.stringMatching(/x-amity-signature/) });
    // The host's other routes still need its token.
    expect((await rawPost(url, '/api/status', {}, '', 'GET')).status).toBe(401);
  });

  it('without decorators the host guard keeps the route closed to social.plus', async () => {
    const { url, recorder } = await boot('forRoot', {});
    const res = await postSigned(url, body('m1'), SECRET, '/api/webhooks/amity');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ hostError: 401, detail: 'host auth required' });
    expect(recorder.all).toHaveLength(0);
  });

  it("follows the prefix's exclude list and a custom path", async () => {
    const { url } = await boot('forRootAsync', { path: 'hooks/social', decorators: [Public()] }, (app) =>
      app.setGlobalPrefix('api', { exclude: [{ path: 'hooks/social', method: RequestMethod.POST }] }),
    );
    expect((await postSigned(url, body('x1'), SECRET, '/hooks/social')).status).toBe(200);
    expect((await postSigned(url, body('x2'), SECRET, '/api/hooks/social')).status).toBe(404);
  });

  it('stays version-neutral under URI versioning with a default version', async () => {
    const { url } = await boot('forRoot', { decorators: [Public()] }, (app) => app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' }));
    expect((await postSigned(url, body('v1'), SECRET, '/webhooks/amity')).status).toBe(200);
  });

  it('works in the testing flow: Test.createTestingModule, createNestApplication, init', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [hostModule('forRoot', { decorators: [Public()] })] }).compile();
    const app = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    const url = await app.getUrl();
    expect((await postSigned(url, body('t1'), SECRET, '/api/webhooks/amity')).status).toBe(200);
    const bad = await postSigned(url, body('t2'), 'wrong-secret', '/api/webhooks/amity');
    expect(bad.status).toBe(401);
  });
});
