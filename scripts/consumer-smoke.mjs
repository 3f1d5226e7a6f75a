#!/usr/bin/env node
// Consumer smoke test: packs the library, creates fresh Nest apps OUTSIDE the repository, installs
// the tarball and its peers from the npm registry, compiles a host app with TypeScript and proves a
// signed event reaches a typed @OnAmityEvent handler over real HTTP: one Nest 12 app per adapter,
// and a Nest 11 host in CommonJS.
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

if (failures.length) {
  console.error(`\nconsumer smoke FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nconsumer smoke passed');
