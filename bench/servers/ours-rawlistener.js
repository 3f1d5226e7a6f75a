import { serve } from './harness.js';
import { startOurs } from './ours-app.js';
process.env.BENCH_RAW_LISTENER = '1';
await serve('ours-rawlistener', (port) => startOurs(port, { strict: false }));
