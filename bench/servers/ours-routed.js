// Ours with `fastLane: false`: every delivery goes through Fastify's router and the hooks the Nest
// adapter adds to every route. Diagnostic contender: what the fast lane is worth.
import { serve } from './harness.js';
import { startOurs } from './ours-app.js';

await serve('ours-routed', (port) => startOurs(port, { strict: false, fastLane: false }));
