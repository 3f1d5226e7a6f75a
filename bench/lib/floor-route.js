// The floor's route: only what any receiver must do (verify the signature over the raw bytes,
// parse the JSON, answer 200 {}). One definition of that work (floorVerdict), used by `floor` and
// `nest-floor` through mountFloorRoute and by `raw-floor` on node:http, so all three measure exactly
// the same handler.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';

/**
 * The floor's decision for one request: 401 (bad signature), 400 (malformed JSON) or 200.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {Buffer} raw
 * @param {{ accepted: number }} counter counts the accepted JSON objects
 */
export function floorVerdict(headers, raw, counter) {
  const signature = headers[SIGNATURE_HEADER];
  const expected = createHmac('sha256', BENCH_SECRET).update(raw).digest();
  const provided = typeof signature === 'string' && signature.length === 44 ? Buffer.from(signature, 'base64') : undefined;
  if (provided === undefined || provided.length !== 32 || !timingSafeEqual(expected, provided)) return 401;
  let payload;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    return 400;
  }
  if (payload !== null && typeof payload === 'object') counter.accepted++;
  return 200;
}

/** Adds the buffer parser and `POST BENCH_PATH` to a Fastify instance or scope; returns the accepted count. */
export function mountFloorRoute(fastify) {
  const counter = { accepted: 0 };
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  fastify.post(BENCH_PATH, (req, reply) => {
    const status = floorVerdict(req.headers, req.body, counter);
    if (status === 401) return reply.code(401).send({ message: 'Invalid signature' });
    if (status === 400) return reply.code(400).send({ message: 'Malformed JSON' });
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{}');
  });
  return counter;
}
