export * from './amity-event.validator.js';
