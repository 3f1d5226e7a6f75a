// Ours under the slow-listener scenario: listeners that take 2 s (some fail), with room in
// `concurrency` for the deliveries in flight (about 2,000 at 1,000 req/s x 2 s).
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

await serve('ours-slow', (port) => startOurs(port, { BENCH_CONCURRENCY: '4096', ...process.env, BENCH_LISTENERS: 'slow' }));
