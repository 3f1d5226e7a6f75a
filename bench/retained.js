#!/usr/bin/env node
// Heap retained per delivery in flight, without HTTP or timing: 2,000 signed bench payloads go
// through the library's request handler and dispatcher, to listeners that do not finish until the
// measurement is taken (as in scenario 2, where ~2,000 deliveries wait on 2 s listeners); the heap
// is measured after full GCs before and after. Deterministic, unlike the req/s figures, so it can
// compare two builds on a noisy machine:
//
//   node --expose-gc bench/retained.js [<library dist dir>]      (LISTENERS=<n>, default 2)
import { DEFAULT_DIST, handlerRequest, inProcessReceiver } from './lib/in-process.js';

const N = 2000;
const reqs = Array.from({ length: N }, (_, i) => handlerRequest(i));
const { emitter, dispatcher, handler } = await inProcessReceiver(process.argv[2] ?? DEFAULT_DIST, { concurrency: 4096, handlerTimeoutMs: 600000 });
const pending = [];
const LISTENERS = Number(process.env.LISTENERS ?? 2);
for (let i = 0; i < LISTENERS; i++) emitter.on('amity.message.didCreate', () => new Promise((r) => pending.push(r)));
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const gc = () => {
  for (let i = 0; i < 4; i++) globalThis.gc();
};
// Warm-up: compiles the validators and fills the listener cache, then lets those calls finish.
for (let i = 0; i < 50; i++) {
  const r = handlerRequest(100_000 + i);
  handler.handle(r.headers, r.raw);
  handler.replied();
}
await new Promise((r) => setTimeout(r, 10));
pending.splice(0).forEach((r) => r());
await new Promise((r) => setTimeout(r, 10));
gc();
const before = process.memoryUsage().heapUsed;
for (const r of reqs) {
  handler.handle(r.headers, r.raw);
  handler.replied();
}
await new Promise((r) => setTimeout(r, 20));
gc();
const after = process.memoryUsage().heapUsed;
console.log(
  `${dispatcher.pending} deliveries in flight, ${pending.length} listener calls: ${((after - before) / N / 1024).toFixed(2)} KiB of heap per delivery ` +
    '(not counting the request bodies, which the harness holds anyway; in a server each delivery in flight also keeps its body, off the heap)',
);
process.exit(0);
