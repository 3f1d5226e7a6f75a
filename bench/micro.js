#!/usr/bin/env node
// In-process microbenchmarks behind figures quoted in bench/README.md: no HTTP, variants measured
// alternately in one process, medians over rounds (still subject to the VM's drift, less so).
//
//   node bench/micro.js [<dist dir> ...]      (after npm run build:lib; extra dirs are A/B'd)
//
// 1. handle + dispatch per request (signature, parse, claim, validation, a synchronous listener),
//    duplicate suppression on (default) and off, for each build given;
// 2. the two per-request costs that were removed from the request path: a regular-expression
//    check of the signature's shape, and a Map lookup by a freshly concatenated event name.
import { createHmac } from 'node:crypto';
import { DEFAULT_DIST, handlerRequest, inProcessReceiver } from './lib/in-process.js';

const ROUNDS = 9;
const BATCH = 5000;
const dists = process.argv.length > 2 ? process.argv.slice(2) : [DEFAULT_DIST];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs `step(variant, round)` (which does `perStep` operations) for each variant in turn, ROUNDS
 * times after a warm-up round, and prints the median time per operation.
 */
async function alternate(title, variants, perStep, step) {
  console.log(title);
  const samples = variants.map(() => []);
  for (let round = -1; round < ROUNDS; round++) {
    for (let v = 0; v < variants.length; v++) {
      const started = process.hrtime.bigint();
      await step(variants[v], round + 1);
      const ns = Number(process.hrtime.bigint() - started) / perStep;
      if (round >= 0) samples[v].push(ns); // round -1 warms up
    }
  }
  variants.forEach((variant, v) => console.log(`  ${variant.name.padEnd(56)} ${(median(samples[v]) / 1000).toFixed(3)} µs`));
}

// 1. handle + dispatch
// Distinct bodies for every request of a run, so duplicate suppression never turns one into a no-op.
const requests = Array.from({ length: (ROUNDS + 1) * BATCH }, (_, i) => handlerRequest(i));
const receivers = [];
for (const dist of dists) {
  for (const idempotency of [undefined, false]) {
    const receiver = await inProcessReceiver(dist, idempotency === false ? { idempotency: false } : {});
    let seen = 0;
    receiver.emitter.on('amity.message.didCreate', (event) => {
      seen += event.data.messages.length;
    });
    receivers.push({ name: `${dist === DEFAULT_DIST ? 'dist' : dist}, idempotency ${idempotency === false ? 'off' : 'on'}`, ...receiver, seen: () => seen });
  }
}
// A batch of requests, then a turn of the event loop so the dispatcher runs (it starts on nextTick).
await alternate(`handle + dispatch, per request (batches of ${BATCH})`, receivers, BATCH, async (receiver, round) => {
  for (let i = 0; i < BATCH; i++) {
    const { headers, raw } = requests[round * BATCH + i];
    const reply = receiver.handler.handle(headers, raw);
    if (reply.status !== 200) throw new Error(`unexpected ${reply.status} ${reply.body}`);
    receiver.handler.replied();
  }
  await new Promise((resolve) => setImmediate(resolve));
});
for (const r of receivers) {
  if (r.dispatcher.pending !== 0 || r.dispatcher.stats.duplicates !== 0 || r.seen() !== requests.length) throw new Error(`${r.name}: not every request was dispatched once`);
}

// 2. the removed per-request costs
const signatures = Array.from({ length: 1000 }, (_, i) => createHmac('sha256', 'k').update(String(i)).digest('base64'));
const SHAPE = /^[A-Za-z0-9+/]{43}=$/;
const names = Array.from({ length: 1000 }, (_, i) => JSON.parse(`{"event":"message.didCreate","n":${i}}`).event);
const byFullName = new Map([['amity.message.didCreate', 1]]);
const byEvent = new Map([['message.didCreate', 1]]);
let sink = 0;
await alternate(
  'per call (batches of 100,000)',
  [
    { name: 'signature shape by regular expression', run: (i) => SHAPE.test(signatures[i % 1000]) },
    { name: 'Map lookup by a concatenated "amity.<event>"', run: (i) => byFullName.get(`amity.${names[i % 1000]}`) },
    { name: 'Map lookup by the parsed event name', run: (i) => byEvent.get(names[i % 1000]) },
  ],
  100_000,
  (variant) => {
    for (let i = 0; i < 100_000; i++) sink += variant.run(i) ? 1 : 0;
  },
);
// Every variant answers truthy, so the results were used (and not optimised away).
if (sink !== (ROUNDS + 1) * 3 * 100_000) throw new Error('a per-call variant answered falsy');
