export * from './amity-comment.dto.js';
export * from './amity-comment-event-data.dto.js';
