export * from './amity-sender-ips.js';
export * from './amity-ip-allowlist.js';
export * from './amity-event-age.js';
