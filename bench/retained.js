#!/usr/bin/env node
// Heap retained per delivery in flight, without HTTP or timing: 2,000 signed bench payloads go
// through the library's request handler and dispatcher, to listeners that do not finish until the
// measurement is taken (as in scenario 2, where ~2,000 deliveries wait on 2 s listeners); the heap
// is measured after full GCs before and after. Deterministic, unlike the req/s figures, so it can
// compare two builds on a noisy machine:
//
//   node --expose-gc bench/retained.js [<library dist dir>]      (LISTENERS=<n>, default 2)
import 'reflect-metadata';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { signedRequest, BENCH_SECRET } from './payload.js';
const lib = pathToFileURL(resolve(process.argv[2] ?? new URL('../libs/amity-webhook/dist', import.meta.url).pathname)).href;
const { AmityWebhookRequestHandler } = await import(`${lib}/receiver/amity-webhook.request-handler.js`);
const { resolveAmityWebhookOptions } = await import(`${lib}/options/amity-webhook-options.resolver.js`);
const { AmityWebhookDispatcher } = await import(`${lib}/dispatch/amity-webhook.dispatcher.js`);
const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(false);
const N = 2000;
/** One signed request as the handler receives it: lower-cased headers and the raw bytes. */
function request(seq) {
  const { body, headers } = signedRequest(seq);
  return { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), raw: Buffer.from(body) };
}
const reqs = Array.from({ length: N }, (_, i) => request(i));
const options = resolveAmityWebhookOptions({ secrets: BENCH_SECRET, concurrency: 4096, handlerTimeoutMs: 600000 });
const emitter = new EventEmitter2({ wildcard: true });
const pending = [];
const LISTENERS = Number(process.env.LISTENERS ?? 2);
for (let i = 0; i < LISTENERS; i++) emitter.on('amity.message.didCreate', () => new Promise((r) => pending.push(r)));
const dispatcher = new AmityWebhookDispatcher(emitter, options);
const handler = new AmityWebhookRequestHandler(options, dispatcher);
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const gc = () => {
  for (let i = 0; i < 4; i++) globalThis.gc();
};
// Warm-up: compiles the validators and fills the listener cache, then lets those calls finish.
for (let i = 0; i < 50; i++) {
  const r = request(100_000 + i);
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
