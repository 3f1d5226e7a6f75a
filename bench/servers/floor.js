// The floor: bare Fastify 5 doing only what any receiver must do: verify the signature over the
// raw bytes, parse the JSON, answer 200 {}. No framework, no validation, no dispatch.
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';
import { serve } from './harness.js';

await serve('floor', async (port) => {
  let accepted = 0;
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post(BENCH_PATH, (req, reply) => {
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
    if (payload !== null && typeof payload === 'object') accepted++;
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{}');
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    port: app.server.address().port,
    counters: () => ({ accepted }),
  };
});
