export * from './amity-rejection.log.js';
