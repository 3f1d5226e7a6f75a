export * from './amity-signature.js';
