export * from './amity-webhook-options.interface.js';
export * from './amity-webhook-event.interface.js';
