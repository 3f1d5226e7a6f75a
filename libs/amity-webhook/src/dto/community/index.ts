export * from './amity-community.dto.js';
export * from './amity-community-event-data.dto.js';
