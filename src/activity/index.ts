export * from './activity-item.interface.js';
export * from './activity.config.js';
export * from './activity.controller.js';
export * from './activity.listener.js';
export * from './activity.module.js';
export * from './activity.service.js';
