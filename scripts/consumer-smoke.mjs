#!/usr/bin/env node
// Consumer smoke test: packs the library, creates fresh Nest apps OUTSIDE the repository, installs
// the tarball and its peers from the npm registry, compiles a host app with TypeScript and proves a
// signed event reaches a typed @OnAmityEvent handler over real HTTP: one Nest 12 app per adapter,
// and a Nest 11 host in CommonJS. Each Nest 12 app also boots a guarded host (global prefix `api`,
// a global interceptor, a global auth guard exempting routes marked with its own @Public()) that
// exempts the webhook route through the module's `decorators` option. The Nest 11 host runs its own
// Jest e2e tests the classic CommonJS way (ts-jest), following the README's testing section.
//
//   node scripts/consumer-smoke.mjs            # fastify, express and nest11; fails on any failure
//   node scripts/consumer-smoke.mjs fastify    # one of them
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const run = (name) => wanted.length === 0 || wanted.includes(name);

function sh(cmd, args, cwd) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const packed = execFileSync('npm', ['run', '--silent', 'pack:lib'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
console.log(`tarball: ${packed}`);

const APP = (adapter) => `import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
${adapter === 'fastify' ? "import { FastifyAdapter } from '@nestjs/platform-fastify';" : "import { ExpressAdapter } from '@nestjs/platform-express';"}
import { AmityWebhookModule, OnAmityEvent, signAmityPayload, type AmityWebhookEvent } from 'nestjs-amity-webhook';

const SECRET = 'consumer-secret';
let resolveSeen: (text: string) => void;
const seen = new Promise<string>((resolve) => (resolveSeen = resolve));

@Injectable()
class MessageListener {
  @OnAmityEvent('message.didCreate')
  onMessage(event: AmityWebhookEvent<'message.didCreate'>): void {
    const text: string | undefined = event.data.messages[0]?.data?.text;
    resolveSeen(\`\${event.event} from \${event.data.messages[0]?.userId}: \${text}\`);
  }
}

@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot({ secrets: SECRET })],
  providers: [MessageListener],
})
class AppModule {}

const app = await NestFactory.create(AppModule, new ${adapter === 'fastify' ? 'FastifyAdapter' : 'ExpressAdapter'}(), { logger: ['error', 'warn'] });
await app.listen(0, '127.0.0.1');
const body = JSON.stringify({
  event: 'message.didCreate',
  data: { messages: [{ messageId: 'm-1', channelId: 'ch-1', userId: 'ada', data: { text: 'héllo 👋' } }], users: [] },
});
const res = await fetch(\`\${await app.getUrl()}/webhooks/amity\`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, SECRET) },
  body,
});
const answer = await res.text();
if (res.status !== 200 || answer !== '{}') throw new Error(\`unexpected answer \${res.status} \${answer}\`);
const timeout = setTimeout(() => { console.error('handler never ran'); process.exit(1); }, 5000);
console.log(\`OK ${adapter}: \${await seen}\`);
clearTimeout(timeout);
${adapter === 'fastify' ? `// inject() never reaches the socket: it goes through Fastify's router, beside the fast lane.
const injected = await (app as unknown as { inject(request: object): Promise<{ statusCode: number; body: string }> }).inject({
  method: 'POST',
  url: '/webhooks/amity',
  headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, SECRET) },
  payload: body,
});
if (injected.statusCode !== 200 || injected.body !== '{}') throw new Error(\`unexpected inject() answer \${injected.statusCode} \${injected.body}\`);
console.log('OK fastify: inject() answered 200 {} through the router');` : ''}
await app.close();
`;

// The host app of issue 11: a global prefix, a global interceptor that records what it sees and a
// global auth guard that rejects every route without the host's own @Public() metadata. The
// webhook route must get the prefix, pass the interceptor, and be let through by the guard only
// because `decorators: [Public()]` applies the host's decorator to it.
const GUARDED_APP = (adapter) => `import 'reflect-metadata';
import {
  CanActivate, ExecutionContext, ForbiddenException, Injectable, Module, SetMetadata,
  type CallHandler, type DynamicModule, type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, NestFactory, Reflector } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
${adapter === 'fastify' ? "import { FastifyAdapter } from '@nestjs/platform-fastify';" : "import { ExpressAdapter } from '@nestjs/platform-express';"}
import { AmityWebhookModule, OnAmityEvent, type AmityWebhookEvent } from 'nestjs-amity-webhook';
import { amityFixture, sendAmityWebhook } from 'nestjs-amity-webhook/testing';

const SECRET = 'guarded-secret';
const PATH = '/api/webhooks/amity';
const IS_PUBLIC = 'isPublic';
const Public = () => SetMetadata(IS_PUBLIC, true);
const seenByInterceptor: string[] = [];
const handled: string[] = [];

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const request = context.switchToHttp().getRequest<{ method: string; url: string }>();
    seenByInterceptor.push(\`\${request.method} \${request.url}\`);
    return next.handle();
  }
}

@Injectable()
class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    throw new ForbiddenException('no credentials');
  }
}

@Injectable()
class MessageListener {
  @OnAmityEvent('message.didCreate')
  onMessage(event: AmityWebhookEvent<'message.didCreate'>): void {
    handled.push(event.data.messages[0]?.messageId ?? '?');
  }
}

function appModule(webhooks: DynamicModule): DynamicModule {
  @Module({})
  class AppModule {}
  return {
    module: AppModule,
    imports: [EventEmitterModule.forRoot({ wildcard: true }), webhooks],
    providers: [MessageListener, { provide: APP_INTERCEPTOR, useClass: RecordingInterceptor }, { provide: APP_GUARD, useClass: AuthGuard }],
  };
}

async function boot(webhooks: DynamicModule) {
  const app = await NestFactory.create(appModule(webhooks), new ${adapter === 'fastify' ? 'FastifyAdapter' : 'ExpressAdapter'}(), { logger: ['error'] });
  app.setGlobalPrefix('api');
  return app;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(\`${adapter} guarded host: \${what}\`);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5000) throw new Error(\`${adapter} guarded host: \${what} (waited 5 s)\`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Exempted through decorators: over a real listen, then after init() only (the testing kit).
const app = await boot(AmityWebhookModule.forRoot({ secrets: SECRET, decorators: [Public()] }));
await app.listen(0, '127.0.0.1');
const signed = await sendAmityWebhook(await app.getUrl(), amityFixture('message.didCreate', { messages: [{ messageId: 'guarded-1', channelId: 'general', userId: 'ada' }] }), { secret: SECRET, path: PATH });
check(signed.status === 200 && signed.body === '{}', \`signed event got \${signed.status} \${signed.body}\`);
await until(() => handled.includes('guarded-1'), 'the @OnAmityEvent listener never ran');
check(seenByInterceptor.includes(\`POST \${PATH}\`), \`the interceptor did not see the webhook (saw \${JSON.stringify(seenByInterceptor)})\`);
const forged = await sendAmityWebhook(await app.getUrl(), 'message.didCreate', { secret: 'not-the-secret', path: PATH });
check(forged.status === 401, \`forged signature got \${forged.status} \${forged.body}\`);
const unprefixed = await sendAmityWebhook(await app.getUrl(), 'message.didCreate', { secret: SECRET });
check(unprefixed.status === 404, \`the route answered without the prefix (\${unprefixed.status})\`);
await app.close();

const initialised = await boot(AmityWebhookModule.forRoot({ secrets: SECRET, decorators: [Public()] }));
await initialised.init();
const viaInit = await sendAmityWebhook(initialised, amityFixture('message.didCreate', { messages: [{ messageId: 'guarded-2', channelId: 'general', userId: 'ada' }] }), { secret: SECRET, path: PATH });
check(viaInit.status === 200, \`sendAmityWebhook after init() got \${viaInit.status} \${viaInit.body}\`);
await until(() => handled.includes('guarded-2'), 'the listener never ran for the delivery sent after init()');
await initialised.close();

// Without decorators the host's own guard keeps the route closed.
const closed = await boot(AmityWebhookModule.forRoot({ secrets: SECRET }));
await closed.init();
const refused = await sendAmityWebhook(closed, 'message.didCreate', { secret: SECRET, path: PATH });
check(refused.status === 403 || refused.status === 401, \`without decorators the host guard let it through (\${refused.status})\`);
await closed.close();
console.log('OK ${adapter} guarded host: 200 {} at ' + PATH + ', listener ran, interceptor saw it, forged 401, unprefixed 404, guard 403 without decorators');
`;

// CommonJS, no TypeScript: decorators applied as functions, as compiled Nest 11 code does.
const NEST11_APP = `require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { EventEmitterModule } = require('@nestjs/event-emitter');
const { AmityWebhookModule, OnAmityEvent, signAmityPayload } = require('nestjs-amity-webhook');

let seen;
const handled = new Promise((resolve) => (seen = resolve));
class MessageListener {
  onMessage(event) { seen(event.event + ' ' + event.data.messages[0].data.text); }
}
// What TypeScript's __decorate does: apply the decorator, then define the (possibly replaced) method.
const descriptor = Object.getOwnPropertyDescriptor(MessageListener.prototype, 'onMessage');
OnAmityEvent('message.didCreate')(MessageListener.prototype, 'onMessage', descriptor);
Object.defineProperty(MessageListener.prototype, 'onMessage', descriptor);
Injectable()(MessageListener);
class AppModule {}
Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true }), AmityWebhookModule.forRoot({ secrets: 'nest11-secret' })],
  providers: [MessageListener],
})(AppModule);

(async () => {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const body = JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: 'm', channelId: 'c', userId: 'u', data: { text: 'from nest 11' } }] } });
  const res = await fetch((await app.getUrl()) + '/webhooks/amity', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, 'nest11-secret') },
    body,
  });
  const answer = await res.text();
  if (res.status !== 200 || answer !== '{}') throw new Error('unexpected answer ' + res.status + ' ' + answer);
  const timer = setTimeout(() => { console.error('handler never ran'); process.exit(1); }, 5000);
  console.log('OK nest11 (CommonJS): ' + (await handled));
  clearTimeout(timer);
  await app.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

// A Nest 11 CommonJS app tested the way `nest new` sets it up (Jest + ts-jest, CommonJS), with the
// two settings the README gives for an ESM package: transformIgnorePatterns lets ts-jest compile
// nestjs-amity-webhook, and allowJs lets it compile JavaScript. The secret comes from ConfigService
// (forRootAsync + getOrThrow) and the e2e tests give it through a Jest setup file, as documented.
const NEST11_JEST = {
  'src/app.module.ts': `import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AmityWebhookModule, OnAmityEvent, type AmityWebhookEvent } from 'nestjs-amity-webhook';

@Controller()
export class AppController {
  @Get()
  getHello(): string {
    return 'Hello World!';
  }
}

@Injectable()
export class MessageListener {
  readonly seen: string[] = [];

  @OnAmityEvent('message.didCreate')
  onMessage(event: AmityWebhookEvent<'message.didCreate'>): void {
    this.seen.push(event.data.messages[0]?.messageId ?? '?');
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    EventEmitterModule.forRoot({ wildcard: true }),
    AmityWebhookModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ secrets: config.getOrThrow<string>('AMITY_WEBHOOK_SECRETS').split(',') }),
    }),
  ],
  controllers: [AppController],
  providers: [MessageListener],
})
export class AppModule {}
`,
  'test/setup-env.ts': `// Jest setupFiles: the test app's webhook secret (the app reads it with getOrThrow at boot).
process.env.AMITY_WEBHOOK_SECRETS ??= 'test-secret';
`,
  // The scaffold's own e2e test, unchanged.
  'test/app.e2e-spec.ts': `import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule } from './../src/app.module';

describe('AppController (e2e)', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleFixture.createNestApplication();
    await app.init();
  });
  afterEach(() => app.close());

  it('/ (GET)', () => request(app.getHttpServer()).get('/').expect(200).expect('Hello World!'));
});
`,
  // The README's webhook e2e test.
  'test/amity-webhook.e2e-spec.ts': `import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmityWebhookEvent } from 'nestjs-amity-webhook';
import { amityFixture, createAmityEventRecorder, sendAmityWebhook } from 'nestjs-amity-webhook/testing';
import { AppModule, MessageListener } from './../src/app.module';

describe('social.plus webhooks (e2e)', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterEach(() => app.close());

  it('accepts a signed message and hands it to the listener', async () => {
    const recorder = createAmityEventRecorder(app);
    const fixture = amityFixture('message.didCreate', { messages: [{ messageId: 'm-1', channelId: 'general', userId: 'ada' }] });
    const response = await sendAmityWebhook(app, fixture, { secret: process.env.AMITY_WEBHOOK_SECRETS! });
    expect(response).toMatchObject({ status: 200, body: '{}' });
    const [event] = await recorder.waitFor<AmityWebhookEvent<'message.didCreate'>>('amity.message.didCreate');
    expect(event.data.messages[0]?.messageId).toBe('m-1');
    await recorder.drain();
    expect(app.get(MessageListener).seen).toEqual(['m-1']);
  });

  it('refuses a forged signature', async () => {
    expect((await sendAmityWebhook(app, 'message.didCreate', { secret: 'forged' })).status).toBe(401);
  });
});
`,
  // The tsconfig.json of `nest new` (Nest 11), plus allowJs.
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'nodenext', moduleResolution: 'nodenext', resolvePackageJsonExports: true, esModuleInterop: true,
      isolatedModules: true, declaration: true, removeComments: true, emitDecoratorMetadata: true, experimentalDecorators: true,
      allowSyntheticDefaultImports: true, target: 'ES2023', sourceMap: true, outDir: './dist', baseUrl: './', incremental: true,
      skipLibCheck: true, strictNullChecks: true, forceConsistentCasingInFileNames: true, noImplicitAny: false,
      strictBindCallApply: false, noFallthroughCasesInSwitch: false, allowJs: true,
    },
  }, null, 2),
  'package.json': JSON.stringify({
    name: 'consumer-nest11-jest', private: true,
    scripts: { 'test:e2e': 'jest --config ./test/jest-e2e.json' },
  }, null, 2),
  'test/jest-e2e.json': JSON.stringify({
    moduleFileExtensions: ['js', 'json', 'ts'],
    rootDir: '.',
    testEnvironment: 'node',
    testRegex: '.e2e-spec.ts$',
    setupFiles: ['<rootDir>/setup-env.ts'],
    transform: { '^.+\\.(t|j)s$': 'ts-jest' },
    transformIgnorePatterns: ['/node_modules/(?!nestjs-amity-webhook/)'],
  }, null, 2),
};

const TSCONFIG = {
  compilerOptions: {
    module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2023', strict: true,
    experimentalDecorators: true, emitDecoratorMetadata: true, rootDir: 'src', outDir: 'dist', skipLibCheck: false, types: ['node'],
  },
  include: ['src'],
};

function consumerApp(adapter) {
  const dir = mkdtempSync(join(tmpdir(), `amity-consumer-${adapter}-`));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${adapter}`, private: true, type: 'module' }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  writeFileSync(join(dir, 'src', 'main.ts'), APP(adapter));
  writeFileSync(join(dir, 'src', 'guarded.ts'), GUARDED_APP(adapter));
  return dir;
}

const failures = [];
for (const adapter of ['fastify', 'express']) {
  if (!run(adapter)) continue;
  const dir = consumerApp(adapter);
  console.log(`\n[${adapter}] ${dir}`);
  const peers = ['@nestjs/common@^12', '@nestjs/core@^12', `@nestjs/platform-${adapter}@^12`, '@nestjs/event-emitter@^12', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs'];
  const steps = [
    ['npm', ['install', '--no-audit', '--no-fund', packed, ...peers]],
    ['npm', ['install', '--no-audit', '--no-fund', '-D', 'typescript@~6.0.0', '@types/node@^20', ...(adapter === 'express' ? ['@types/express@^5'] : [])]],
    ['npx', ['tsc', '-p', 'tsconfig.json']],
    ['node', ['dist/main.js']],
    ['node', ['dist/guarded.js']],
  ];
  for (const [cmd, args] of steps) {
    const { ok, out } = sh(cmd, args, dir);
    const last = out.trim().split('\n').filter((l) => !/EBADENGINE|npm warn/.test(l)).slice(-3).join('\n');
    console.log(`$ ${cmd} ${args.join(' ')}\n${last}`);
    if (!ok) {
      failures.push(`${adapter}: ${cmd} ${args[0]} failed`);
      break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (run('nest11')) {
  // A Nest 11 host in CommonJS: the package is ESM, loaded through Node's require(esm) (Node 20.19+),
  // with Nest 11 and @nestjs/event-emitter 3 inside the peer ranges (no --legacy-peer-deps).
  const dir = mkdtempSync(join(tmpdir(), 'amity-consumer-nest11-'));
  console.log(`\n[nest11] ${dir}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-nest11', private: true }, null, 2));
  writeFileSync(join(dir, 'main.cjs'), NEST11_APP);
  const steps = [
    ['npm', ['install', '--no-audit', '--no-fund', packed, '@nestjs/common@^11', '@nestjs/core@^11', '@nestjs/platform-express@^11', '@nestjs/event-emitter@^3', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs']],
    ['node', ['main.cjs']],
  ];
  for (const [cmd, args] of steps) {
    const { ok, out } = sh(cmd, args, dir);
    console.log(`$ ${cmd} ${args.join(' ')}\n${out.trim().split('\n').filter((l) => !/EBADENGINE|npm warn/.test(l)).slice(-3).join('\n')}`);
    if (!ok) {
      failures.push(`nest11: ${cmd} ${args[0]} failed`);
      break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (run('nest11')) {
  const dir = mkdtempSync(join(tmpdir(), 'amity-consumer-nest11-jest-'));
  console.log(`\n[nest11 jest] ${dir}`);
  for (const [file, content] of Object.entries(NEST11_JEST)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  const steps = [
    ['npm', ['install', '--no-audit', '--no-fund', packed, '@nestjs/common@^11', '@nestjs/core@^11', '@nestjs/platform-express@^11', '@nestjs/event-emitter@^3', '@nestjs/config@^4', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs']],
    ['npm', ['install', '--no-audit', '--no-fund', '-D', '@nestjs/testing@^11', 'jest@^29', 'ts-jest@^29', '@types/jest@^29', 'typescript@~5.8.0', '@types/node@^20', 'supertest@^7', '@types/supertest@^6']],
    ['npm', ['run', 'test:e2e']],
  ];
  for (const [cmd, args] of steps) {
    const { ok, out } = sh(cmd, args, dir);
    console.log(`$ ${cmd} ${args.join(' ')}\n${out.trim().split('\n').filter((l) => !/EBADENGINE|npm warn/.test(l)).slice(-6).join('\n')}`);
    if (!ok) {
      failures.push(`nest11 jest: ${cmd} ${args[0]} ${args[1] ?? ''} failed`);
      console.log(out.trim().split('\n').slice(-60).join('\n'));
      break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`\nconsumer smoke FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nconsumer smoke passed');
