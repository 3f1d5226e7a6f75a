import { describe, expect, it } from '@jest/globals';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { installAmityFastLane } from './amity-fastify.fast-lane.js';
import type { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';
import { AMITY_ACK } from './amity-webhook.reply.js';

const handler = { handle: () => AMITY_ACK } as unknown as AmityWebhookRequestHandler;
const options = { path: '/webhooks/amity', bodyLimit: 1024, fastLane: true, allowlist: undefined };

describe('installAmityFastLane', () => {
  it('wraps the one request listener of an HTTP or HTTPS server', () => {
    for (const server of [createHttpServer(() => undefined), createHttpsServer(() => undefined)]) {
      const original = server.listeners('request')[0];
      expect(installAmityFastLane(server, options, handler)).toBe('installed');
      const listeners = server.listeners('request');
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).not.toBe(original);
    }
  });

  it('leaves servers it cannot safely wrap alone', () => {
    const http2 = createHttp2Server(() => undefined);
    expect(installAmityFastLane(http2, options, handler)).toBe('unsupported-server');
    const twoListeners = createHttpServer(() => undefined);
    twoListeners.on('request', () => undefined);
    expect(installAmityFastLane(twoListeners, options, handler)).toBe('unsupported-server');
    expect(twoListeners.listeners('request')).toHaveLength(2);
    expect(installAmityFastLane(undefined, options, handler)).toBe('unsupported-server');
  });

  it('is off when asked, or when an allowlist needs the adapter\'s view of the source address', () => {
    const server = createHttpServer(() => undefined);
    const original = server.listeners('request')[0];
    expect(installAmityFastLane(server, { ...options, fastLane: false }, handler)).toBe('off');
    expect(installAmityFastLane(server, { ...options, allowlist: {} as never }, handler)).toBe('off');
    expect(server.listeners('request')).toEqual([original]);
  });
});
