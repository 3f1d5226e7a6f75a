export * from './amity-event-data.map.js';
export * from './amity-event.registry.js';
