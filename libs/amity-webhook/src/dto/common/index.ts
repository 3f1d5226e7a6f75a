export * from './amity-hash-flag.dto.js';
export * from './amity-user.dto.js';
export * from './amity-file.dto.js';
export * from './amity-reactor.dto.js';
