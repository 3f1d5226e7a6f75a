export * from './amity-webhook.config.js';
export * from './env.parsers.js';
export * from './server.config.js';
export * from './durable-mode.config.js';
