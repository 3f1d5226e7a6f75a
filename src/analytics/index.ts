export * from './analytics-summary.interface.js';
export * from './analytics.controller.js';
export * from './analytics.listener.js';
export * from './analytics.module.js';
export * from './analytics.service.js';
