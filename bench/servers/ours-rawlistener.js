// Ours with its listener registered on EventEmitter2 directly instead of through
// @nestjs/event-emitter (whose wrapper makes every call asynchronous). Diagnostic contender: what
// that wrapper costs.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

process.env.BENCH_RAW_LISTENER = '1';
await serve('ours-rawlistener', (port) => startOurs(port, { strict: false }));
