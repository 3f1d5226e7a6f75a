// The durable floors' store: BullMQ's `Queue.add` as a textbook receiver calls it (the body as
// base64, the HMAC as job id, no deduplication, no timeout), on the Redis and prefix the parent
// gives in BENCH_REDIS_URL and BENCH_PREFIX. One definition, so both floors store the same way.
import { Queue } from 'bullmq';

/** @returns {{ store: (raw: Buffer, digest: Buffer) => Promise<unknown>, close: () => Promise<void> }} */
export function floorQueue() {
  const { hostname, port } = new URL(process.env.BENCH_REDIS_URL);
  const queue = new Queue('deliveries', {
    connection: { host: hostname, port: Number(port), maxRetriesPerRequest: null },
    prefix: process.env.BENCH_PREFIX,
  });
  return {
    store: (raw, digest) =>
      queue.add('delivery', { body: raw.toString('base64'), receivedAt: Date.now() }, { jobId: digest.toString('hex'), removeOnComplete: true }),
    close: () => queue.close(),
  };
}
