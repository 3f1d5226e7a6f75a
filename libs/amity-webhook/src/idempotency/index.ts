export * from './amity-idempotency.store.js';
export * from './amity-memory-idempotency.store.js';
export * from './amity-redis-idempotency.store.js';
export * from './amity-bounded-idempotency.store.js';
