// Ours with `idempotency: false`. Diagnostic contender: what duplicate suppression costs.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

process.env.BENCH_IDEMPOTENCY = 'off';
await serve('ours-noidem', (port) => startOurs(port, { strict: false }));
