// Ours, strict mode: the payload is validated before the reply (400 when invalid).
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

await serve('ours-strict', (port) => startOurs(port, { ...process.env, BENCH_STRICT: '1' }));
