export * from './common/index.js';
export * from './channel/index.js';
export * from './message/index.js';
