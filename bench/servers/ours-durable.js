// Ours in durable mode (`queue` on BullMQ). The parent sets BENCH_REDIS_URL, BENCH_PREFIX,
// BENCH_SPOOL_DIR, BENCH_ROLE (all | receiver | worker) and BENCH_LISTENERS (count | slow).
// A worker-only process is the same app that receives no traffic.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

await serve(`ours-durable (${process.env.BENCH_ROLE ?? 'all'})`, (port) => startOurs(port));
