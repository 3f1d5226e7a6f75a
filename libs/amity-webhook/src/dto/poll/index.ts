export * from './amity-poll-event-data.dto.js';
