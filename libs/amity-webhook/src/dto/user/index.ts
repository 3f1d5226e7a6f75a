export * from './amity-user-event-data.dto.js';
