// Diagnostic: the floor's work on node:http with no framework at all.
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BENCH_PATH, BENCH_SECRET, SIGNATURE_HEADER } from '../payload.js';
import { serve } from './harness.js';

await serve('raw-floor', async (port) => {
  const counter = { accepted: 0 };
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== BENCH_PATH) { res.statusCode = 404; res.end(); return; }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const signature = req.headers[SIGNATURE_HEADER];
      const expected = createHmac('sha256', BENCH_SECRET).update(raw).digest();
      const provided = typeof signature === 'string' && signature.length === 44 ? Buffer.from(signature, 'base64') : undefined;
      if (provided === undefined || provided.length !== 32 || !timingSafeEqual(expected, provided)) { res.statusCode = 401; res.end(); return; }
      const payload = JSON.parse(raw.toString('utf8'));
      if (payload !== null && typeof payload === 'object') counter.accepted++;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '2' });
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { port: server.address().port, counters: () => ({ accepted: counter.accepted }) };
});
