export * from './banned-words.matcher.js';
export * from './moderation-flag.interface.js';
export * from './moderation.config.js';
export * from './moderation.controller.js';
export * from './moderation.listener.js';
export * from './moderation.module.js';
export * from './moderation.service.js';
