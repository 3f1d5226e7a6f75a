// The floor's route: only what any receiver must do (verify the signature over the raw bytes,
// parse the JSON, answer 200 {}). One definition, mounted by `floor` on bare Fastify and by
// `nest-floor` on a Nest app's Fastify instance, so the two measure exactly the same handler.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';

/** Adds the buffer parser and `POST BENCH_PATH` to a Fastify instance or scope; returns the accepted count. */
export function mountFloorRoute(fastify) {
  const counter = { accepted: 0 };
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  fastify.post(BENCH_PATH, (req, reply) => {
    const signature = req.headers[SIGNATURE_HEADER];
    const raw = req.body;
    const expected = createHmac('sha256', BENCH_SECRET).update(raw).digest();
    const provided = typeof signature === 'string' && signature.length === 44 ? Buffer.from(signature, 'base64') : undefined;
    if (provided === undefined || provided.length !== 32 || !timingSafeEqual(expected, provided)) {
      return reply.code(401).send({ message: 'Invalid signature' });
    }
    let payload;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ message: 'Malformed JSON' });
    }
    if (payload !== null && typeof payload === 'object') counter.accepted++;
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{}');
  });
  return counter;
}
