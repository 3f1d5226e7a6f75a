// The floor: bare Fastify 5 doing only what any receiver must do: verify the signature over the
// raw bytes, parse the JSON, answer 200 {}. No framework, no validation, no dispatch.
import Fastify from 'fastify';
import { mountFloorRoute } from '../lib/floor-route.js';
import { serve } from './harness.js';

await serve('floor', async (port) => {
  const app = Fastify({ logger: false });
  const counter = mountFloorRoute(app);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    port: app.server.address().port,
    counters: () => ({ accepted: counter.accepted }),
  };
});
