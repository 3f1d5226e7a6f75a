// Load and fault figures for the README's "Guarantees" section: a Nest app using AmityWebhookModule
// under sustained load, with listeners that throw, hang, or take seconds, and traffic that mixes
// new deliveries with exact duplicates, legacy x-eko-signature requests and forged signatures.
// Prints requests sent, answers by status, accepted, dispatched (exactly once?), duplicates
// suppressed, listener failures and timeouts, 5xx (must be 0) and memory.
//
//   node bench/guarantees.js            # 800 req/s for 20 s
//   node bench/guarantees.js --quick    # 400 req/s for 6 s
// Needs the built library (npm run build:lib); not part of npm test.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENCH_PATH, BENCH_SECRET, payloadText, seqOf, sign } from './payload.js';

const QUICK = process.argv.includes('--quick');
const RATE = QUICK ? 400 : 800;
const DURATION_S = QUICK ? 6 : 20;
const HANDLER_TIMEOUT_MS = 3000;

if (process.argv[2] === '--server') await server();
else await client();

async function server() {
  const { decorateClass, decorateMethod, paramTypes } = await import('./lib/decorate.js');
  const { Injectable, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { EventEmitterModule, OnEvent } = await import('@nestjs/event-emitter');
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  const lib = await import('nestjs-amity-webhook');
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const calls = new Map(); // seq -> deliveries seen by the recorder
  let timeouts = 0;
  const attempts = new Map(); // seq -> flaky attempts
  class Listeners {
    // Records every delivery it sees (exactly-once is checked on these counts).
    record(event) {
      const seq = seqOf(event.data);
      calls.set(seq, (calls.get(seq) ?? 0) + 1);
    }
    // Takes 0.5 to 2.5 seconds.
    async slow() {
      await sleep(500 + Math.random() * 2000);
    }
    // 10% fail once (then succeed on retry), 2% always fail.
    async flaky(event) {
      const seq = seqOf(event.data);
      const n = (attempts.get(seq) ?? 0) + 1;
      attempts.set(seq, n);
      if (seq % 50 === 7) throw new Error(`always failing on ${seq}`);
      if (seq % 10 === 3 && n === 1) throw new Error(`failing once on ${seq}`);
    }
    // 1% never finish (reported after handlerTimeoutMs).
    hang(event) {
      return seqOf(event.data) % 100 === 42 ? new Promise(() => {}) : undefined;
    }
    onFailure(failure) {
      if (failure.timedOut) timeouts++;
    }
  }
  for (const method of ['record', 'slow', 'flaky', 'hang']) {
    paramTypes(Listeners.prototype, method, [Object]);
    decorateMethod(Listeners.prototype, method, lib.OnAmityEvent('message.didCreate'));
  }
  decorateMethod(Listeners.prototype, 'onFailure', OnEvent(lib.AMITY_WEBHOOK_HANDLER_FAILED_EVENT));
  decorateClass(Listeners, Injectable());

  class AppModule {}
  decorateClass(
    AppModule,
    Module({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true }),
        lib.AmityWebhookModule.forRoot({
          secrets: BENCH_SECRET,
          concurrency: 4096,
          maxQueueSize: 50_000,
          handlerTimeoutMs: HANDLER_TIMEOUT_MS,
          retries: 2,
          retryDelayMs: 100,
        }),
      ],
      providers: [Listeners],
    }),
  );
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const dispatcher = app.get(lib.AmityWebhookDispatcher);
  let peakRss = 0;
  setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100).unref();
  const rssBefore = process.memoryUsage.rss();
  process.on('message', async (message) => {
    if (message === 'report') {
      const deadline = Date.now() + 30_000;
      while ((await dispatcher.backlog()) > 0 && Date.now() < deadline) await sleep(100);
      const counts = [...calls.values()];
      process.send({
        stats: (({ accepted, duplicates, legacyDuplicates, rejected, overflowed, dispatched, invalid, handlerFailures }) => ({
          accepted,
          duplicates,
          legacyDuplicates,
          rejected,
          overflowed,
          dispatched,
          invalid,
          handlerFailures,
        }))(dispatcher.stats),
        pending: await dispatcher.backlog(),
        uniqueDispatched: calls.size,
        dispatchedTwice: counts.filter((c) => c > 1).length,
        seqs: [...calls.keys()],
        timeouts,
        rss: { before: rssBefore, peak: peakRss, after: process.memoryUsage.rss() },
      });
    }
    if (message === 'exit') process.exit(0);
  });
  process.send({ port: app.getHttpServer().address().port });
}

async function client() {
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve) => child.once('message', resolve));

  // Traffic mix, decided per request: 80% new, 10% exact duplicate of an earlier delivery,
  // 5% legacy x-eko-signature copy, 5% forged signature.
  let next = 0;
  const sentNew = new Set();
  const sentNewList = [];
  const kinds = { new: 0, duplicate: 0, legacy: 0, forged: 0 };
  const statuses = {};
  const requests = [
    {
      method: 'POST',
      path: BENCH_PATH,
      setupRequest(req) {
        const roll = Math.random();
        let seq;
        let headers;
        if (roll < 0.1 && sentNewList.length > 0) {
          kinds.duplicate++;
          seq = sentNewList[Math.floor(Math.random() * sentNewList.length)];
          headers = { 'x-amity-signature': sign(payloadText(seq)) };
        } else if (roll < 0.15) {
          kinds.legacy++;
          seq = next++;
          headers = { 'x-eko-signature': sign(payloadText(seq)) };
        } else if (roll < 0.2) {
          kinds.forged++;
          seq = next++;
          headers = { 'x-amity-signature': sign(payloadText(seq), 'forged-secret') };
        } else {
          kinds.new++;
          seq = next++;
          sentNew.add(seq);
          sentNewList.push(seq);
          headers = { 'x-amity-signature': sign(payloadText(seq)) };
        }
        return { ...req, body: payloadText(seq), headers: { ...headers, 'content-type': 'application/json' } };
      },
    },
  ];
  const instance = autocannon({ url: `http://127.0.0.1:${port}`, connections: 50, overallRate: RATE, duration: DURATION_S, requests });
  instance.on('response', (_client, status) => (statuses[status] = (statuses[status] ?? 0) + 1));
  const result = await new Promise((resolve, reject) => instance.once('done', resolve).once('error', reject));

  child.send('report');
  const report = await new Promise((resolve) => child.once('message', resolve));
  child.send('exit');

  const sent = Object.values(kinds).reduce((a, b) => a + b, 0);
  const fivexx = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((a, [, n]) => a + n, 0);
  const dispatchedSet = new Set(report.seqs);
  const missing = [...sentNew].filter((seq) => !dispatchedSet.has(seq)).length;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const rows = [
    ['requests sent', `${sent}, answered ${Object.values(statuses).reduce((a, b) => a + b, 0)} (${kinds.new} new, ${kinds.duplicate} exact duplicates, ${kinds.legacy} legacy x-eko, ${kinds.forged} forged)`],
    ['answers', Object.entries(statuses).map(([s, n]) => `${s}: ${n}`).join(', ') + (result.errors ? `, socket errors: ${result.errors}` : '')],
    ['5xx', String(fivexx)],
    ['accepted (queued)', String(report.stats.accepted)],
    ['duplicates suppressed', String(report.stats.duplicates)],
    ['legacy acknowledged, not dispatched', String(report.stats.legacyDuplicates)],
    ['rejected (401 forged)', String(report.stats.rejected)],
    ['dispatched (unique deliveries seen by a listener)', `${report.uniqueDispatched} of ${kinds.new} new; missing ${missing}; seen twice ${report.dispatchedTwice}`],
    ['listener failures (attempts) / timeouts', `${report.stats.handlerFailures} / ${report.timeouts}`],
    ['still pending at the end', String(report.pending)],
    ['ack latency p50 / p99 / max', `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms`],
    ['RSS before / peak / after', `${mb(report.rss.before)} / ${mb(report.rss.peak)} / ${mb(report.rss.after)}`],
  ];
  console.log(`\nnestjs-amity-webhook guarantees: ${RATE} req/s for ${DURATION_S} s, listeners that take 0.5-2.5 s, throw (10% once, 2% always) or hang (1%, timeout ${HANDLER_TIMEOUT_MS} ms)\n`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const ok = fivexx === 0 && missing === 0 && report.dispatchedTwice === 0 && report.pending === 0;
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: 5xx ${fivexx}, lost ${missing}, dispatched twice ${report.dispatchedTwice}`);
  console.log(JSON.stringify({ guarantees: { rate: RATE, durationS: DURATION_S, sent, kinds, statuses, fivexx, missing, report: { ...report, seqs: undefined }, latency: result.latency } }));
  process.exitCode = ok ? 0 : 1;
}
