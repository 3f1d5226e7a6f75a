import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMITY_WEBHOOK_EVENT_NAMES } from '../events/amity-event.registry.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { runAmityCli, type AmityCliIo } from './amity-webhook.cli.js';

const SECRET = 'cli-secret';

interface Received {
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

function io(overrides: Partial<AmityCliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: AmityCliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readStdin: async () => Buffer.from('from stdin'),
    env: {},
    fixture: (event) => amityFixture(event as 'message.didCreate'),
    ...overrides,
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

// A bare HTTP server stands in for the receiver: the CLI is tested on what it puts on the wire and
// on how it reports the answer. It accepts what is signed with SECRET, like the library does.
describe('amity-webhook CLI', () => {
  let server: Server;
  let url: string;
  let received: Received[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'amity-cli-'));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ url: req.url, headers: req.headers, body });
        const signed = req.headers['x-amity-signature'] === signAmityPayload(body, SECRET) || req.headers['x-eko-signature'] !== undefined;
        res.writeHead(signed ? 200 : 401, { 'content-type': 'application/json' });
        res.end(signed ? '{}' : '{"statusCode":401,"message":"The x-amity-signature header does not match"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/amity`;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received = [];
  });

  describe('send', () => {
    it('signs a sample payload, posts it to the URL as given and prints the status and time', async () => {
      const cli = io();
      expect(await runAmityCli(['send', 'message.didCreate', '--url', url, '--secret', SECRET], cli.value)).toBe(0);
      expect(cli.out()).toMatch(/^200 \{\} in \d+\.\d ms \(\d+ bytes, message\.didCreate\)\n$/);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ url: '/api/webhooks/amity', headers: { 'content-type': 'application/json' } });
      expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'message.didCreate', data: { messages: [expect.any(Object)] } });
    });

    it('makes each send a new delivery: timestamps read the current time, the rest is the sample', async () => {
      let now = new Date('2030-01-01T00:00:00.000Z');
      const cli = io({ now: () => now });
      await runAmityCli(['send', 'message.didCreate', '-u', url, '-s', SECRET], cli.value);
      now = new Date('2030-01-01T00:00:00.001Z');
      await runAmityCli(['send', 'message.didCreate', '-u', url, '-s', SECRET], cli.value);
      const [first, second] = received.map((r) => JSON.parse(r.body));
      expect(received[0]!.body).not.toBe(received[1]!.body);
      expect(first.data.messages[0].createdAt).toBe('2030-01-01T00:00:00.000Z');
      expect(second.data.messages[0].messageId).toBe(first.data.messages[0].messageId);
    });

    it('--as-is: sends the very same bytes every time', async () => {
      const cli = io();
      await runAmityCli(['send', 'message.didCreate', '--as-is', '-u', url, '-s', SECRET], cli.value);
      await runAmityCli(['send', 'message.didCreate', '--as-is', '-u', url, '-s', SECRET], cli.value);
      expect(received[0]!.body).toBe(received[1]!.body);
      expect(received[0]!.body).toBe(JSON.stringify(amityFixture('message.didCreate')));
    });

    it('--data: posts a whole envelope byte for byte under its own event name, and wraps bare data', async () => {
      const envelope = join(dir, 'envelope.json');
      const bytes = '{\n  "event": "message.didCreate",\n  "data": { "messages": [ { "messageId": "file-1" } ] }\n}\n';
      writeFileSync(envelope, bytes);
      const bare = join(dir, 'data.json');
      writeFileSync(bare, '{ "messages": [ { "messageId": "file-2" } ] }');
      const cli = io({ env: { AMITY_WEBHOOK_SECRET: SECRET } });
      expect(await runAmityCli(['send', '--url', url, '--data', envelope], cli.value)).toBe(0);
      expect(await runAmityCli(['send', 'message.didUpdate', '--url', url, '--data', bare], cli.value)).toBe(0);
      expect(received[0]!.body).toBe(bytes);
      expect(JSON.parse(received[1]!.body)).toEqual({ event: 'message.didUpdate', data: { messages: [{ messageId: 'file-2' }] } });
      expect(cli.out()).toMatch(/bytes, message\.didCreate\)\n.*bytes, message\.didUpdate\)\n$/);
    });

    it('--data: refuses an envelope of another event than the one named', async () => {
      const envelope = join(dir, 'other.json');
      writeFileSync(envelope, '{"event":"message.didCreate","data":{}}');
      const cli = io();
      expect(await runAmityCli(['send', 'channel.didJoin', '-s', SECRET, '-u', url, '-d', envelope], cli.value)).toBe(2);
      expect(cli.err()).toMatch(/holds a message\.didCreate envelope, not channel\.didJoin/);
      expect(received).toHaveLength(0);
    });

    it('exits 1 and prints the answer when the receiver refuses', async () => {
      const cli = io();
      expect(await runAmityCli(['send', 'message.didCreate', '--url', url, '--secret', 'wrong'], cli.value)).toBe(1);
      expect(cli.out()).toMatch(/^401 .*does not match/);
    });

    it('--legacy: sends x-eko-signature only, and says receivers do not dispatch it', async () => {
      const cli = io();
      expect(await runAmityCli(['send', 'channel.didCreate', '--legacy', '--url', url, '--secret', SECRET], cli.value)).toBe(0);
      expect(received[0]!.headers['x-amity-signature']).toBeUndefined();
      expect(received[0]!.headers['x-eko-signature']).toBe(signAmityPayload(received[0]!.body, SECRET));
      expect(cli.out()).toMatch(/legacy duplicate/);
    });

    it('exits 1 with the cause when nothing listens', async () => {
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const { port } = probe.address() as AddressInfo;
      await new Promise((r) => probe.close(r));
      const cli = io();
      expect(await runAmityCli(['send', 'message.didCreate', '--secret', 's', '--url', `http://127.0.0.1:${port}/hook`], cli.value)).toBe(1);
      expect(cli.err()).toBe(`amity-webhook: could not reach http://127.0.0.1:${port}/hook (ECONNREFUSED)\n`);
    });
  });

  it.each<[string, string[], RegExp]>([
    ['no secret', ['send', 'message.didCreate'], /a secret is required/],
    ['no event and no data', ['send', '--secret', 's'], /send needs an event name/],
    ['an unknown event without --data', ['send', 'message.didCreat', '--secret', 's'], /unknown event "message.didCreat" \(did you mean/],
    ['a missing data file', ['send', 'x.y', '--secret', 's', '--data', '/nonexistent.json'], /cannot read \/nonexistent.json: ENOENT/],
    ['a bad URL', ['send', 'message.didCreate', '--secret', 's', '--url', 'not a url'], /--url is not a URL/],
    ['an unknown option', ['send', 'message.didCreate', '--secrte', 's'], /Unknown option '--secrte'/],
    ['an option without its value', ['send', 'message.didCreate', '--secret'], /--secret/],
    ['two event names', ['send', 'a.b', 'c.d', '-s', 's'], /send takes one event name/],
    ['an unknown command', ['publish'], /unknown command "publish"/],
    ['no command', [], /Usage: amity-webhook <command>/],
  ])('exits 2 with a clear message for %s', async (_case, argv, message) => {
    const cli = io();
    expect(await runAmityCli(argv, cli.value)).toBe(2);
    expect(cli.err()).toMatch(message);
  });

  it.each([['queue'], ['replay']])('%s: is handed to the durable queue\'s command', async (name) => {
    const cli = io();
    expect(await runAmityCli([name, '--no-such-option'], cli.value)).toBe(2);
    expect(cli.err()).toMatch(/amity-webhook queue stats[\s\S]*amity-webhook replay --failed/);
  });

  it('sign: prints the signature of a file or of standard input', async () => {
    const file = join(dir, 'body.json');
    writeFileSync(file, '{"event":"x.y","data":{}}');
    const cli = io();
    expect(await runAmityCli(['sign', file, '--secret', SECRET], cli.value)).toBe(0);
    expect(await runAmityCli(['sign', '-s', SECRET], cli.value)).toBe(0);
    expect(cli.out()).toBe(`${signAmityPayload('{"event":"x.y","data":{}}', SECRET)}\n${signAmityPayload('from stdin', SECRET)}\n`);
  });

  it('sign: takes the secret from AMITY_WEBHOOK_SECRETS (the first one) when nothing else is given', async () => {
    const cli = io({ env: { AMITY_WEBHOOK_SECRETS: ' first , second ' } });
    expect(await runAmityCli(['sign'], cli.value)).toBe(0);
    expect(cli.out()).toBe(`${signAmityPayload('from stdin', 'first')}\n`);
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

  it.each([
    [['--help'], /Usage: amity-webhook <command>[\s\S]*send[\s\S]*sign[\s\S]*events[\s\S]*queue[\s\S]*replay/],
    [['help'], /Usage: amity-webhook <command>/],
    [['send', '--help'], /Usage: amity-webhook send[\s\S]*--as-is/],
    [['sign', '-h'], /Usage: amity-webhook sign/],
    [['events', '--help'], /Usage: amity-webhook events/],
  ])('%j prints usage and exits 0', async (argv, usage) => {
    const cli = io();
    expect(await runAmityCli(argv, cli.value)).toBe(0);
    expect(cli.out()).toMatch(usage);
  });
});
