export * from './on-amity-event.decorator.js';
