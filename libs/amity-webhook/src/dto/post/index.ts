export * from './amity-post.dto.js';
export * from './amity-post-event-data.dto.js';
