// The floors' route: only what any receiver must do (verify the signature over the raw bytes,
// parse the JSON, answer 200 {}), plus, for the durable floor, storing the delivery in a BullMQ
// queue before the reply. One definition of that work, so both floors measure the same handler.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';

/**
 * Verifies the signature of one request.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {Buffer} raw
 * @returns {Buffer | undefined} the HMAC when the signature matches it
 */
export function floorDigest(headers, raw) {
  const signature = headers[SIGNATURE_HEADER];
  const digest = createHmac('sha256', BENCH_SECRET).update(raw).digest();
  const provided = typeof signature === 'string' && signature.length === 44 ? Buffer.from(signature, 'base64') : undefined;
  return provided !== undefined && provided.length === 32 && timingSafeEqual(digest, provided) ? digest : undefined;
}

/**
 * Verifies and parses one request.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {Buffer} raw
 * @returns {{ status: 200, digest: Buffer } | { status: 400 | 401 }}
 */
export function floorVerdict(headers, raw) {
  const digest = floorDigest(headers, raw);
  if (digest === undefined) return { status: 401 };
  let payload;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400 };
  }
  return payload !== null && typeof payload === 'object' ? { status: 200, digest } : { status: 400 };
}

/**
 * Adds the buffer parser and `POST BENCH_PATH` to a Fastify instance.
 * @param {import('fastify').FastifyInstance} fastify
 * @param {(raw: Buffer, digest: Buffer) => Promise<unknown>} [store] awaited before the reply (durable floor)
 * @returns {{ accepted: number }} the count of accepted deliveries
 */
export function mountFloorRoute(fastify, store) {
  const counter = { accepted: 0 };
  const refuse = (reply, status) => reply.code(status).send({ message: status === 401 ? 'Invalid signature' : 'Malformed JSON' });
  const ack = (reply) => reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{}');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  if (store === undefined) {
    // Synchronous, as the fastest Fastify handler is written: no promise per request.
    fastify.post(BENCH_PATH, (req, reply) => {
      const verdict = floorVerdict(req.headers, req.body);
      if (verdict.status !== 200) return refuse(reply, verdict.status);
      counter.accepted++;
      return ack(reply);
    });
  } else {
    fastify.post(BENCH_PATH, async (req, reply) => {
      const verdict = floorVerdict(req.headers, req.body);
      if (verdict.status !== 200) return refuse(reply, verdict.status);
      await store(req.body, verdict.digest);
      counter.accepted++;
      return ack(reply);
    });
  }
  return counter;
}
