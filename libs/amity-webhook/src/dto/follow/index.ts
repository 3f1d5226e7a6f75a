export * from './amity-follow-event-data.dto.js';
