// Ours under scenario 2: listeners that take 2 s (some fail), with room for the backlog in flight.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4096);
await serve('ours-slow', (port) => startOurs(port, { strict: false, concurrency, listeners: 'slow' }));
