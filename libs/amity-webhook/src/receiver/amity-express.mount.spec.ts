import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { resolveAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { expressSelfCheck, mountAmityWebhookOnExpress, type ExpressLikeApp } from './amity-express.mount.js';
import { AmityWebhookRequestHandler } from './amity-webhook.request-handler.js';

function mounted() {
  const app = express();
  const options = resolveAmityWebhookOptions({ secrets: 's' });
  const handler = new AmityWebhookRequestHandler(options, { enqueue: () => undefined, hasCapacity: () => true, isClosing: false });
  app.use(express.json());
  const check = mountAmityWebhookOnExpress(app as unknown as ExpressLikeApp, options, handler);
  return { app: app as unknown as ExpressLikeApp & { router: { stack: Array<{ name?: string }> } }, check };
}

describe('Express mount self-check', () => {
  it('puts the webhook route ahead of a body parser registered earlier, and then passes', () => {
    const { app, check } = mounted();
    expect(app.router.stack[0]!.name).not.toBe('jsonParser');
    expect(check()).toBeUndefined();
  });

  it('names the parser and what to do when one runs before the route', () => {
    const { app } = mounted();
    const stack = app.router.stack;
    const json = stack.findIndex((layer) => layer.name === 'jsonParser');
    stack.unshift(...stack.splice(json, 1));
    expect(expressSelfCheck(app, '/webhooks/amity')).toMatch(/body parser "jsonParser" runs before the webhook route \/webhooks\/amity/);
  });

  it('reports a missing route', () => {
    expect(expressSelfCheck(express() as unknown as ExpressLikeApp, '/webhooks/amity')).toMatch(/missing/);
  });
});
