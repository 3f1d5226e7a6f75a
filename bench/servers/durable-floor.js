// The durable floor: bare Fastify 5 doing what any durable receiver must do: verify the signature
// over the raw bytes, parse the JSON, store the delivery with BullMQ's `Queue.add` and answer
// 200 {} once Redis has it (`bench/lib/floor-queue.js`). No worker: the load only measures
// receiving. Set up by the parent with BENCH_REDIS_URL and BENCH_PREFIX.
import Fastify from 'fastify';
import { floorQueue } from '../lib/floor-queue.js';
import { mountFloorRoute } from '../lib/floor-route.js';
import { serve } from './harness.js';

await serve('durable-floor', async (port) => {
  const queue = floorQueue();
  const app = Fastify({ logger: false });
  const counter = mountFloorRoute(app, queue.store);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    port: app.server.address().port,
    close: async () => {
      await app.close();
      await queue.close();
    },
    counters: () => ({ accepted: counter.accepted }),
  };
});
