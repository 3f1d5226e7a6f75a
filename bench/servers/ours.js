// Ours, default (lenient) mode: verify + parse + enqueue + reply; validation and listeners after.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

await serve('ours', (port) => startOurs(port, { strict: false }));
