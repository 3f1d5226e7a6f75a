import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import fc from 'fast-check';
import type { INestApplication } from '@nestjs/common';
import { AmityWebhookDispatcher, signAmityPayload } from '../src/index.js';
import { FIXTURE_ADAPTERS, createFixtureApp, type FixtureRecorder } from './fixture/fixture.app.js';

const SECRET = 'fuzz-secret-1b7e';
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);

/** POSTs with a flat [name, value, name, value, ...] header list; a repeated name is sent as repeated lines. */
function send(url: string, headers: string[], body: Buffer): Promise<number> {
  const target = new URL('/webhooks/amity', url);
  const lines: Record<string, string[]> = { 'content-length': [String(body.length)] };
  for (let i = 0; i < headers.length; i += 2) (lines[headers[i]!] ??= []).push(headers[i + 1]!);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: lines },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'event', 'data', 'messages', 'polluted');
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.constantFrom(1e308, -1e308, 9007199254740993, 0),
    fc.string(),
    fc.constantFrom('message.didCreate', 'amity.**', '**', '__proto__', '\u0000', '🦄'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKeys, fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Bodies: random bytes, invalid UTF-8, JSON with hostile keys, envelopes, deep nesting, huge numbers. */
const body: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x22]), Buffer.from('{"event":"message.didCreate","data":"\xff\xfe"}', 'latin1')),
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc
    .record({ event: fc.oneof(fc.constantFrom('message.didCreate', 'channel.didCreate', 'x.y'), fc.string()), data: hostileJson })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc.constantFrom('message.didCreate', 'channel.didJoin').chain((event) =>
    fc.constantFrom('__proto__', 'constructor').map((key) =>
      Buffer.from(`{"event":"${event}","data":{"${key}":{"prototype":{"polluted":1},"polluted":1},"messages":[{"__proto__":{"polluted":1},"messageId":"m","channelId":"c","userId":"u"}],"channel":{"channelId":"c","__proto__":{"polluted":1}}}}`),
    ),
  ),
  fc.integer({ min: 1, max: 20_000 }).map((n) => Buffer.from(`{"event":"message.didCreate","data":${'['.repeat(n)}${']'.repeat(n)}}`)),
  fc.integer({ min: 1, max: 5_000 }).map((n) => Buffer.from(`{"event":"message.didCreate","data":{"messages":[${'{"a":'.repeat(n)}1${'}'.repeat(n)}]}}`)),
  fc.constantFrom('1e999999', '-0', '123456789012345678901234567890', '{"event":1e400}').map((s) => Buffer.from(s)),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  '',
);

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const forgedSignature = fc.oneof(
  printable,
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')),
  fc.constantFrom('', '=', 'A'.repeat(43) + '=', 'A'.repeat(44)),
);

describe.each(FIXTURE_ADAPTERS)('fuzzing the receiver on %s with hostile headers and bodies (fast-check, real HTTP)', (adapter) => {
  let app: INestApplication;
  let url: string;
  let recorder: FixtureRecorder;
  let dispatcher: AmityWebhookDispatcher;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    ({ app, url, recorder } = await createFixtureApp('forRoot', { secrets: SECRET, bodyLimit: 64 * 1024 }, false, adapter));
    dispatcher = app.get(AmityWebhookDispatcher);
  });
  afterAll(async () => {
    await app.close();
    // Shows the spread of answers, so a run that only ever hit one branch would be visible.
    process.stdout.write(`fuzz statuses on ${adapter}: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  });

  it(`never answers 5xx and never dispatches anything not correctly signed (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType,
        fc.array(forgedSignature, { maxLength: 3 }),
        fc.boolean(),
        fc.option(fc.constantFrom('x-eko-signature', 'X-Amity-Signature', 'x-amity-signature '), { nil: undefined }),
        async (raw, type, signatures, duplicateRealSignature, oddHeader) => {
          const headers: string[] = type ? ['content-type', type] : [];
          for (const signature of signatures) headers.push('x-amity-signature', signature);
          // A correct signature repeated next to a forged one is ambiguous and must not pass either.
          if (duplicateRealSignature && signatures.length > 0) headers.push('x-amity-signature', signAmityPayload(raw, SECRET));
          if (oddHeader && oddHeader !== 'x-amity-signature ') headers.push(oddHeader, 'legacy');
          const status = await send(url, headers, raw);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
    await dispatcher.onIdle();
    expect(statuses.size).toBeGreaterThanOrEqual(3);
    expect(recorder.all).toHaveLength(0);
    expect(recorder.invalid).toHaveLength(0);
  }, 120_000);

  it(`correctly signed hostile bodies: no 5xx, no prototype pollution, and the process keeps serving (${RUNS} cases)`, async () => {
    let signed = 0;
    await fc.assert(
      fc.asyncProperty(body, contentType, async (raw, type) => {
        const status = await send(url, ['content-type', type || 'application/json', 'x-amity-signature', signAmityPayload(raw, SECRET)], raw);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status).toBeLessThan(500);
        if (status === 200) signed++;
      }),
      { numRuns: RUNS },
    );
    await dispatcher.onIdle();
    expect(signed).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const seen = [...recorder.all, ...recorder.invalid];
    expect(seen.length).toBeLessThanOrEqual(signed);
    // Walk everything handlers were given: no own __proto__ key, no polluted prototype anywhere.
    const stack: unknown[] = seen.map((e) => ('data' in e ? e.data : e.payload));
    const violations: string[] = [];
    let visited = 0;
    while (stack.length) {
      const value = stack.pop();
      if (value === null || typeof value !== 'object') continue;
      visited++;
      if (Object.hasOwn(value, '__proto__')) violations.push('own __proto__ key');
      if ('polluted' in Object.getPrototypeOf(value)) violations.push('polluted prototype');
      for (const child of Object.values(value)) stack.push(child);
    }
    expect(visited).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    // Still alive and dispatching.
    const finalBody = JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: 'alive', channelId: 'c', userId: 'u' }] } });
    expect(await send(url, ['content-type', 'application/json', 'x-amity-signature', signAmityPayload(finalBody, SECRET)], Buffer.from(finalBody))).toBe(200);
    await dispatcher.onIdle();
    expect(recorder.messages.some((m) => m.data.messages[0]!.messageId === 'alive')).toBe(true);
  }, 120_000);
});
