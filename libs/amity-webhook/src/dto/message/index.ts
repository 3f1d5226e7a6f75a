export * from './amity-message.dto.js';
export * from './amity-message-event-data.dto.js';
export * from './amity-message-v5-event-data.dto.js';
