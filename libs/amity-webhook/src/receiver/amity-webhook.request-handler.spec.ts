import { beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AmityDelivery } from '../dispatch/amity-delivery.interface.js';
import { resolveAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import type { AmityWebhookReply } from './amity-webhook.reply.js';

const SECRETS = ['primary-secret', 'rotated-secret'];
const message = { messageId: 'm1', channelId: 'c1', userId: 'u1', data: { text: 'hello' } };

function signed(body: string, secret = SECRETS[0]!): [IncomingHttpHeaders, Buffer] {
  return [{ 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, secret) }, Buffer.from(body)];
}

describe('AmityWebhookRequestHandler', () => {
  let queued: AmityDelivery[];
  let legacy: number;
  let rejected: number[];
  let handler: { handle(headers: IncomingHttpHeaders, raw: Buffer | undefined): AmityWebhookReply };

  function create(strict = false) {
    const options = resolveAmityWebhookOptions({ secrets: [SECRETS[0]!, { secret: SECRETS[1]!, label: 'rotation' }], strict });
    const sink = { enqueue: (d: AmityDelivery) => void queued.push(d), hasCapacity: () => true, isClosing: false };
    const inner = new AmityWebhookRequestHandler(options, sink, {
      legacyDuplicate: () => legacy++,
      rejected: (reply) => rejected.push(reply.status),
    });
    // The in-memory idempotency store is synchronous, so every reply here is too.
    handler = {
      handle: (headers: IncomingHttpHeaders, raw: Buffer | undefined): AmityWebhookReply => {
        const reply = inner.handle(headers, raw);
        if (reply instanceof Promise) throw new Error('unexpected asynchronous reply');
        return reply;
      },
    };
  }

  beforeEach(() => {
    queued = [];
    legacy = 0;
    rejected = [];
    create();
  });

  it('acknowledges a signed envelope with 200 {} and queues it with the matching webhook', () => {
    const body = JSON.stringify({ event: 'message.didCreate', data: { messages: [message] } });
    const reply = handler.handle(...signed(body, SECRETS[1]));
    expect(reply).toEqual({ status: 200, body: '{}' });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ event: 'message.didCreate', data: { messages: [message] }, webhook: { index: 1, label: 'rotation' } });
    expect(queued[0]!.receivedAt).toBeInstanceOf(Date);
    expect(queued[0]!.validated).toBeUndefined();
  });

  it('gives identical bodies one delivery id whichever webhook signed them, so the second is a duplicate', () => {
    const body = JSON.stringify({ event: 'message.didCreate', data: { messages: [message] } });
    const other = JSON.stringify({ event: 'message.didCreate', data: { messages: [{ ...message, messageId: 'm2' }] } });
    expect(handler.handle(...signed(body, SECRETS[1]))).toEqual({ status: 200, body: '{}' });
    expect(handler.handle(...signed(body, SECRETS[0]))).toEqual({ status: 200, body: '{}' });
    expect(handler.handle(...signed(other, SECRETS[0]))).toEqual({ status: 200, body: '{}' });
    expect(queued.map((d) => d.webhook.index)).toEqual([1, 0]);
    const [first, second] = queued;
    // SHA-256 of the body's HMAC under the first secret: neither a signature nor a plain body hash.
    const keyed = createHmac('sha256', SECRETS[0]!).update(body).digest();
    expect(first!.id).toBe(createHash('sha256').update(keyed).digest('base64url'));
    expect(first!.id).not.toBe(createHash('sha256').update(body).digest('base64url'));
    expect(second!.id).not.toBe(first!.id);
  });

  it('acknowledges a legacy x-eko-signature duplicate without queueing it', () => {
    const reply = handler.handle({ 'x-eko-signature': 'whatever' }, Buffer.from('{"event":"message.didCreate","data":{}}'));
    expect(reply).toEqual({ status: 200, body: '{}' });
    expect(queued).toHaveLength(0);
    expect(legacy).toBe(1);
  });

  it('verifies x-amity-signature when both headers are present', () => {
    const body = '{"event":"message.didCreate","data":{}}';
    const reply = handler.handle({ 'x-eko-signature': 'x', 'x-amity-signature': signAmityPayload(body, 'wrong') }, Buffer.from(body));
    expect(reply.status).toBe(401);
    expect(queued).toHaveLength(0);
  });

  it.each<[string, IncomingHttpHeaders, Buffer | undefined, number, RegExp]>([
    ['no signature', {}, Buffer.from('{}'), 401, /Missing x-amity-signature/],
    ['a wrong signature', { 'x-amity-signature': signAmityPayload('{}', 'nope') }, Buffer.from('{}'), 401, /Invalid x-amity-signature/],
    ['a malformed signature', { 'x-amity-signature': 'not base64!' }, Buffer.from('{}'), 401, /Invalid x-amity-signature/],
    ['an empty body', { 'x-amity-signature': signAmityPayload('', SECRETS[0]!) }, Buffer.alloc(0), 400, /Empty request body/],
    ['no body', { 'x-amity-signature': signAmityPayload('', SECRETS[0]!) }, undefined, 400, /Empty request body/],
  ])('rejects %s', (_case, headers, raw, status, message) => {
    const reply = handler.handle(headers, raw);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body)).toMatchObject({ statusCode: status, message: expect.stringMatching(message) });
    expect(queued).toHaveLength(0);
    expect(rejected).toEqual([status]);
  });

  it.each<[string, string, RegExp]>([
    ['malformed JSON', '{"event":', /Malformed JSON/],
    ['a JSON array', '[{"event":"message.didCreate"}]', /must be a JSON object/],
    ['a JSON string', '"message.didCreate"', /must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
    ['an envelope without event', '{"data":{}}', /must carry a string "event"/],
    ['a numeric event', '{"event":42,"data":{}}', /must carry a string "event"/],
    ['a wildcard event name', '{"event":"message.*","data":{}}', /dotted event name/],
    ['a globstar event name', '{"event":"**","data":{}}', /dotted event name/],
    ['an empty event name', '{"event":"","data":{}}', /dotted event name/],
    ['an overlong event name', JSON.stringify({ event: `a.${'b'.repeat(200)}`, data: {} }), /dotted event name/],
  ])('answers 400 to a signed body that is %s', (_case, body, message) => {
    const reply = handler.handle(...signed(body));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).message).toMatch(message);
    expect(queued).toHaveLength(0);
  });

  it('drops __proto__ and constructor.prototype keys of a signed body', () => {
    const body = '{"event":"x.y","data":{"__proto__":{"polluted":true},"a":{"constructor":{"prototype":{"polluted":true}}}}}';
    expect(handler.handle(...signed(body)).status).toBe(200);
    const data = queued[0]!.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('drops a __proto__ key spelled with unicode escapes', () => {
    const body = '{"event":"x.y","data":{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":true},"ok":1}}';
    expect(body).toContain('\\u005f');
    expect(handler.handle(...signed(body)).status).toBe(200);
    const data = queued[0]!.data as Record<string, unknown>;
    expect(Object.hasOwn(data, '__proto__')).toBe(false);
    expect(data['ok']).toBe(1);
  });

  it('accepts unknown events (they are validated by nobody, dispatched as unknown)', () => {
    const body = JSON.stringify({ event: 'story.didCreate', data: { stories: [{ id: 1 }] } });
    expect(handler.handle(...signed(body))).toEqual({ status: 200, body: '{}' });
    expect(queued[0]).toMatchObject({ event: 'story.didCreate', validated: undefined });
  });

  describe('strict mode', () => {
    beforeEach(() => create(true));

    it('answers 400 with the validation issues for an invalid known event', () => {
      const body = JSON.stringify({ event: 'message.didCreate', data: { messages: [{ channelId: 'c1' }] } });
      const reply = handler.handle(...signed(body));
      expect(reply.status).toBe(400);
      const parsed = JSON.parse(reply.body);
      expect(parsed.message).toBe('Invalid payload for message.didCreate');
      expect(parsed.issues.map((i: { path: string }) => i.path)).toEqual(
        expect.arrayContaining(['messages.0.messageId', 'messages.0.userId']),
      );
      expect(queued).toHaveLength(0);
    });

    it('validates before replying and hands the validated data on', () => {
      const body = JSON.stringify({ event: 'message.didCreate', data: { messages: [message] } });
      expect(handler.handle(...signed(body)).status).toBe(200);
      expect(queued[0]!.validated).toMatchObject({ messages: [message], users: [] });
    });
  });
});
