export * from './amity-webhook-config.error.js';
