export * from './amity-webhook.guard.js';
export * from './amity-webhook-signature.exception.js';
