export * from './amity-tag.dto.js';
