// Ours, default (in-memory, lenient) mode: verify, parse, queue, reply; validation and listeners after.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

await serve('ours', (port) => startOurs(port));
