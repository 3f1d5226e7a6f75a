// Diagnostic contender: the floor's work (bench/lib/floor-route.js) on node:http with no framework
// at all. The gap between raw-floor and floor is what Fastify itself costs.
import http from 'node:http';
import { floorVerdict } from '../lib/floor-route.js';
import { BENCH_PATH } from '../payload.js';
import { serve } from './harness.js';

await serve('raw-floor', async (port) => {
  const counter = { accepted: 0 };
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== BENCH_PATH) {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const status = floorVerdict(req.headers, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), counter);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(status === 200 ? '{}' : '{"message":"refused"}');
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port: server.address().port, counters: () => ({ accepted: counter.accepted }) };
});
