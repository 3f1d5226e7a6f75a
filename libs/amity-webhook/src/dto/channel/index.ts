export * from './amity-channel.dto.js';
export * from './amity-channel-event-data.dto.js';
