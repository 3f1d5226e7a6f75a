export * from './recent-items.buffer.js';
