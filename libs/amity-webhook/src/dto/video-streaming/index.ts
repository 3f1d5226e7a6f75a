export * from './amity-video-streaming-event-data.dto.js';
