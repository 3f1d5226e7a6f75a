import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createFixtureApp, type FixtureRecorder } from '../../test/fixture/fixture.app.js';
import { AmityWebhookDispatcher } from '../dispatch/amity-webhook.dispatcher.js';
import { AMITY_WEBHOOK_EVENT_NAMES } from '../events/amity-event.registry.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { runAmityCli, type AmityCliIo } from './amity-webhook.cli.js';

const SECRET = 'cli-secret';

function io(overrides: Partial<AmityCliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: AmityCliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => Buffer.from('from stdin'),
    env: {},
    fixture: (event) => ({ event, data: { messages: [{ messageId: 'cli-1', channelId: 'c', userId: 'u', data: { text: 'sent by the CLI' } }] } }),
    ...overrides,
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

describe('amity-webhook CLI against a running app', () => {
  let app: INestApplication;
  let url: string;
  let recorder: FixtureRecorder;
  const dir = mkdtempSync(join(tmpdir(), 'amity-cli-'));

  beforeAll(async () => {
    ({ app, url, recorder } = await createFixtureApp('forRoot', { secrets: SECRET }));
    url = `${url}/webhooks/amity`;
  });
  afterAll(() => app.close());

  it('send: signs a sample payload, posts it and prints the status and time', async () => {
    const cli = io();
    expect(await runAmityCli(['send', 'message.didCreate', '--url', url, '--secret', SECRET], cli.value)).toBe(0);
    expect(cli.out()).toMatch(/^200 \{\} in \d+\.\d ms \(\d+ bytes, message\.didCreate\)\n$/);
    await app.get(AmityWebhookDispatcher).onIdle();
    expect(recorder.messages.at(-1)?.data.messages[0]?.data?.text).toBe('sent by the CLI');
  });

  it('send --data: posts a whole envelope byte for byte, and wraps bare data', async () => {
    const envelope = join(dir, 'envelope.json');
    writeFileSync(envelope, '{\n  "event": "message.didCreate",\n  "data": { "messages": [ { "messageId": "file-1", "channelId": "c", "userId": "u" } ] }\n}\n');
    const bare = join(dir, 'data.json');
    writeFileSync(bare, '{ "messages": [ { "messageId": "file-2", "channelId": "c", "userId": "u" } ] }');
    const cli = io({ env: { AMITY_WEBHOOK_SECRET: SECRET } });
    expect(await runAmityCli(['send', 'message.didCreate', '--url', url, '--data', envelope], cli.value)).toBe(0);
    expect(await runAmityCli(['send', 'message.didCreate', '--url', url, '--data', bare], cli.value)).toBe(0);
    await app.get(AmityWebhookDispatcher).onIdle();
    expect(recorder.messages.map((m) => m.data.messages[0]?.messageId)).toEqual(expect.arrayContaining(['file-1', 'file-2']));
  });

  it('send: exits 1 and prints the answer when the receiver refuses', async () => {
    const cli = io();
    expect(await runAmityCli(['send', 'message.didCreate', '--url', url, '--secret', 'wrong'], cli.value)).toBe(1);
    expect(cli.out()).toMatch(/^401 .*Invalid x-amity-signature/);
  });

  it('send --legacy: is acknowledged but not dispatched', async () => {
    const before = recorder.all.length;
    const cli = io();
    expect(await runAmityCli(['send', 'channel.didCreate', '--legacy', '--url', url, '--secret', SECRET], cli.value)).toBe(0);
    await app.get(AmityWebhookDispatcher).onIdle();
    expect(recorder.all.length).toBe(before);
  });

  it.each<[string, string[], RegExp]>([
    ['no secret', ['send', 'message.didCreate'], /a secret is required/],
    ['an unknown event without --data', ['send', 'message.didCreat', '--secret', 's'], /unknown event "message.didCreat" \(did you mean/],
    ['a missing data file', ['send', 'x.y', '--secret', 's', '--data', '/nonexistent.json'], /cannot read \/nonexistent.json: ENOENT/],
    ['a bad URL', ['send', 'message.didCreate', '--secret', 's', '--url', 'not a url'], /--url is not a URL/],
    ['an unknown command', ['publish'], /unknown command 'publish'/],
  ])('exits 2 with a clear message for %s', async (_case, argv, message) => {
    const cli = io();
    expect(await runAmityCli(argv, cli.value)).toBe(2);
    expect(cli.err()).toMatch(message);
  });

  it('send: exits 1 with the cause when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const cli = io();
    expect(await runAmityCli(['send', 'message.didCreate', '--secret', 's', '--url', `http://127.0.0.1:${port}/hook`], cli.value)).toBe(1);
    expect(cli.err()).toBe(`amity-webhook: could not reach http://127.0.0.1:${port}/hook (ECONNREFUSED)\n`);
  });

  it('sign: prints the signature of a file or of standard input', async () => {
    const file = join(dir, 'body.json');
    writeFileSync(file, '{"event":"x.y","data":{}}');
    const cli = io();
    expect(await runAmityCli(['sign', file, '--secret', SECRET], cli.value)).toBe(0);
    expect(await runAmityCli(['sign', '--secret', SECRET], cli.value)).toBe(0);
    expect(cli.out()).toBe(`${signAmityPayload('{"event":"x.y","data":{}}', SECRET)}\n${signAmityPayload('from stdin', SECRET)}\n`);
  });

  it('events: lists every known event', async () => {
    const cli = io();
    expect(await runAmityCli(['events'], cli.value)).toBe(0);
    const lines = cli.out().trim().split('\n');
    expect(lines).toHaveLength(AMITY_WEBHOOK_EVENT_NAMES.length);
    expect(lines[0]).toMatch(/^channel\.didCreate\s+channel\s+A channel was created/);
    const json = io();
    await runAmityCli(['events', '--json'], json.value);
    expect(JSON.parse(json.out()).map((e: { name: string }) => e.name)).toEqual([...AMITY_WEBHOOK_EVENT_NAMES]);
  });

  it('--help prints usage and exits 0', async () => {
    const cli = io();
    expect(await runAmityCli(['--help'], cli.value)).toBe(0);
    expect(cli.out()).toMatch(/Usage: amity-webhook \[options\] \[command\][\s\S]*send[\s\S]*sign[\s\S]*events/);
  });
});
