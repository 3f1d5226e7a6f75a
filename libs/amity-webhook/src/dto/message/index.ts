export * from './amity-message.dto.js';
export * from './amity-message-event-data.dto.js';
