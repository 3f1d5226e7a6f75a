// The durable floor: bare Fastify 5 doing what any durable receiver must do: verify the signature
// over the raw bytes, parse the JSON, store the delivery with BullMQ's `Queue.add` (the body as
// base64, the HMAC as the job id) and answer 200 {} once Redis has it. No worker: the load only
// measures receiving. Set up by the parent with BENCH_REDIS_URL and BENCH_PREFIX.
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { mountFloorRoute } from '../lib/floor-route.js';
import { serve } from './harness.js';

await serve('durable-floor', async (port) => {
  const { hostname, port: redisPort } = new URL(process.env.BENCH_REDIS_URL);
  const queue = new Queue('deliveries', {
    connection: { host: hostname, port: Number(redisPort), maxRetriesPerRequest: null },
    prefix: process.env.BENCH_PREFIX,
  });
  const app = Fastify({ logger: false });
  const counter = mountFloorRoute(app, (raw, digest) =>
    queue.add('delivery', { body: raw.toString('base64'), receivedAt: Date.now() }, { jobId: digest.toString('hex'), removeOnComplete: true }),
  );
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
