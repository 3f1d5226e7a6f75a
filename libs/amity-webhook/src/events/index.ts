export * from './amity-event-data.map.js';
export * from './amity-event.registry.js';
export * from './amity-envelope.normalizer.js';
export * from './amity-event.context.js';
