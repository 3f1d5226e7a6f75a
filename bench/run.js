#!/usr/bin/env node
// npm run bench [-- --quick]: what nestjs-amity-webhook costs on the request path, and whether it
// acknowledges social.plus in time under slow listeners, poison payloads and in durable mode.
// Method and last figures: bench/README.md. Goals are printed as PASS/FAIL, always as ratios to
// baselines measured in the same run; the exit code is non-zero only when something crashed.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllServers, startServer } from './lib/child.js';
import { fixedRate, SENDER_TIMEOUT_MS } from './lib/fixed-rate.js';
import { prepareLibrary, ROOT } from './lib/library.js';
import { deletePrefix, ensureRedis } from './lib/redis.js';
import { fmtInt, fmtMiB, fmtMs, fmtPct, fmtRatio, table, waitForQuiet } from './lib/stats.js';
import { measureThroughput } from './lib/throughput.js';
import { poisonRequest } from './payload.js';

const BENCH = dirname(fileURLToPath(import.meta.url));
const SCENARIOS = ['throughput', 'slow', 'poison', 'durable'];

const HELP = `Usage: npm run bench -- [options]

  --quick               short run (about a minute and a half): shows that everything works, not a verdict
  --only <list>         scenarios to run, of ${SCENARIOS.join(',')} (default all)
  --contenders <list>   throughput contenders (default floor,peer,ours,ours-strict); name@<dist dir>
                        runs that server on another build of the library, to measure a change
  --rounds <n>          throughput rounds (default 6; quick 2)
  --duration <s>        throughput seconds per measured slot (default 8; quick 1)
  --warmup <s>          throughput warm-up seconds per contender (default 5; quick 0.75)
  --connections <n>     throughput connections (default 64)
  --rate <n>            slow-listener and durable offered requests/s (default 1000)
  --fixed-duration <s>  seconds of each fixed-rate run after its ramp-up (default 30; quick 2)
  --durable-also <list> extra 4a contenders: ours-durable on other builds of the library (dist dirs),
                        to measure a change against the current build in the same run
  --no-build            do not rebuild the library even if dist is older than src
  --no-quiet-wait       do not wait for other processes to go quiet before each slot

Environment: AMITY_BENCH_LIB=<dir or index.js> measures another build of the library;
             AMITY_BENCH_CPU_PROF=<dir> makes every server write a V8 CPU profile there.
             AMITY_BENCH_NODE_FLAGS="<flags>" starts every server with these Node/V8 flags (e.g. --trace-gc,
             whose lines go to the servers' log).
Durable scenarios use Redis on 127.0.0.1:6379 when it answers, else start redis-server on a free port.`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: SCENARIOS.join(',') },
    contenders: { type: 'string', default: 'floor,peer,ours,ours-strict' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
    'fixed-duration': { type: 'string' },
    'durable-also': { type: 'string', default: '' },
    'no-build': { type: 'boolean', default: false },
    'no-quiet-wait': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

const quick = flags.quick;
const num = (value, fallback) => (value === undefined ? fallback : Number(value));
const config = {
  quick,
  only: flags.only.split(',').map((s) => s.trim()),
  contenders: flags.contenders.split(',').map((s) => s.trim()).filter(Boolean),
  rounds: num(flags.rounds, quick ? 2 : 6),
  durationSec: num(flags.duration, quick ? 1 : 8),
  warmupSec: num(flags.warmup, quick ? 0.75 : 5),
  connections: num(flags.connections, 64),
  rate: num(flags.rate, 1000),
  fixedSec: num(flags['fixed-duration'], quick ? 2 : 30),
  rampSec: quick ? 1 : 3,
  poisonRate: 50,
  quietWait: !flags['no-quiet-wait'],
  durableAlso: flags['durable-also'].split(',').map((s) => s.trim()).filter(Boolean),
};
for (const name of config.only) if (!SCENARIOS.includes(name)) throw new Error(`--only: unknown scenario ${name}`);
const runs = (name) => config.only.includes(name);

/** Goals (issues 11, 12 and 13). */
const GOALS = {
  oursPerFloor: 0.6,
  oursPerPeer: 3,
  slowAckP99Ms: 10,
  durablePerFloor: 0.8,
  durableAckP99Ms: 50,
  /** Heap still in use after the drain and a full GC, above the idle baseline: a leak if larger. */
  retainedMiB: 16,
};

/** Total time the run may spend waiting for other processes to go quiet. */
let quietBudgetMs = quick ? 3000 : 120_000;
async function quietMoment() {
  if (!config.quietWait || quietBudgetMs <= 0) return undefined;
  const quiet = await waitForQuiet(quick ? { maxWaitMs: Math.min(1000, quietBudgetMs), windowMs: 250 } : { maxWaitMs: Math.min(15_000, quietBudgetMs) });
  quietBudgetMs -= quiet.waitedMs;
  return quiet;
}

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const runId = `${process.pid}-${Date.now().toString(36)}`;
const resultsDir = join(BENCH, 'results');
mkdirSync(resultsDir, { recursive: true });
const logPath = join(resultsDir, `${stamp}-servers.log`);
const logFd = openSync(logPath, 'a');
const spoolDir = join(resultsDir, `spool-${stamp}`);

const log = (...parts) => console.log(...parts);
const section = (title) => log(`\n== ${title} ${'='.repeat(Math.max(0, 96 - title.length))}`);

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'n/a';
  }
}
const cpus = os.cpus();
const machine = {
  cpu: `${cpus[0]?.model ?? 'unknown'} x${cpus.length}`,
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  versions: Object.fromEntries(
    ['fastify', '@nestjs/core', '@nestjs/platform-fastify', 'class-validator', 'class-transformer', 'bullmq', 'ioredis', 'autocannon'].map((p) => [p, version(p)]),
  ),
};

section(`nestjs-amity-webhook bench${quick ? ' (--quick: indicative only)' : ''}  ${startedAt.toISOString()}`);
const prepared = prepareLibrary({ build: !flags['no-build'], snapshotDir: join(resultsDir, `lib-${stamp}`), log });
const library = prepared.info;
log(`machine   ${machine.cpu}, ${machine.memory}, ${machine.os}, node ${machine.node}`);
log(`versions  ${Object.entries(machine.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
log(`library   ${library.source}${library.commit ? ` @ ${library.commit}` : ''}${library.srcDirty ? ` + ${library.srcDirty} uncommitted src change(s)` : ''}${library.built ? `; ${library.built}` : ''}`);
log(`logs      ${relative(ROOT, logPath)}`);

let seq = 0;
const nextSeq = () => seq++;
const results = {};
const goals = [];
const goal = (name, value, pass) => goals.push({ goal: name, value, pass });

const throughputTable = (names, summary) =>
  table(
    [
      ['contender', 'left'],
      ['req/s (median)', 'right'],
      ['min..max req/s', 'right'],
      ['p50 ms', 'right'],
      ['p99 ms', 'right'],
      ['max ms (median/worst)', 'right'],
      ['non-2xx/err', 'right'],
      ['req per server CPU-s', 'right'],
      ['server CPU', 'right'],
      ['peak RSS', 'right'],
    ],
    names.map((name) => {
      const s = summary[name];
      return [
        name,
        fmtInt(s.rps),
        `${fmtInt(s.rpsMin)}..${fmtInt(s.rpsMax)}`,
        fmtMs(s.p50, 0),
        fmtMs(s.p99, 0),
        `${fmtMs(s.max, 0)} / ${fmtMs(s.maxWorst, 0)}`,
        String(s.non2xx),
        fmtInt(s.rpsPerServerCpuS),
        fmtPct(s.serverCpu),
        fmtMiB(s.peakRss),
      ];
    }),
  );
const ratioLine = (label, r) => `  ${label.padEnd(30)} ${fmtRatio(r.medians)} of median req/s, ${fmtRatio(r.perRound)} per round (median), ${fmtRatio(r.perCpu)} per server CPU-s`;

const ackTable = (rows) =>
  table(
    [
      ['ack latency (from due time)', 'left'],
      ['requests', 'right'],
      ['p50 ms', 'right'],
      ['p90 ms', 'right'],
      ['p99 ms', 'right'],
      ['p99.9 ms', 'right'],
      ['max ms', 'right'],
      [`> ${SENDER_TIMEOUT_MS} ms`, 'right'],
      ['non-200', 'right'],
      ['errors', 'right'],
    ],
    rows.map(([label, l]) => [label, fmtInt(l.count), fmtMs(l.p50, 2), fmtMs(l.p90, 2), fmtMs(l.p99, 2), fmtMs(l.p999, 2), fmtMs(l.max, 1), String(l.slowerThan1500), String(l.non200), String(l.failed)]),
  );

/** Runs a fixed-rate load on freshly started servers (stopped afterwards). */
async function fixedRateOn({ receiver, worker, ...options }) {
  await quietMoment();
  const common = { execArgv: ['--expose-gc'], logFd };
  const servers = [];
  try {
    const r = await startServer(receiver.file, { ...common, env: receiver.env, label: receiver.label });
    servers.push(r);
    const w = worker ? await startServer(worker.file, { ...common, env: worker.env, label: worker.label, nice: worker.nice }) : undefined;
    if (w) servers.push(w);
    const firstSeq = seq;
    const result = await fixedRate({ receiver: r, worker: w, firstSeq, ...options });
    seq += result.load.total;
    return result;
  } finally {
    for (const s of servers) await s.stop();
  }
}

function printFixedRate(r, label) {
  log(ackTable([[label, r.ack], ['ramp-up', r.ramp]]));
  const d = r.delivery;
  const lib = r.counters.library ?? {};
  const accepted = (r.receiverCounters ?? r.counters).library?.accepted;
  log(
    `  offered ${fmtInt(r.load.offered)} req/s in the window (generator worst lag ${fmtMs(r.load.worstSendLagMs, 1)} ms, ${r.load.sockets} connections); ` +
      `CPU receiver ${fmtPct(r.cpu.receiver)}${r.cpu.worker !== undefined ? `, worker ${fmtPct(r.cpu.worker)}` : ''}, others (Redis included) ${r.cpu.others.toFixed(2)} cores; ` +
      `receiver event-loop delay p99 ${fmtMs(r.eventLoopDelayMs.p99, 1)} / max ${fmtMs(r.eventLoopDelayMs.max, 1)} ms; ` +
      `${r.answeredMs ? `receiver's own time per 200 (body start to answer written) p50 ${fmtMs(r.answeredMs.p50, 2)} / p99 ${fmtMs(r.answeredMs.p99, 1)} / max ${fmtMs(r.answeredMs.max, 1)} ms; ` : ''}GC ${r.gc.count} pauses, ${fmtMs(r.gc.totalMs, 0)} ms, longest ${fmtMs(r.gc.maxMs, 1)} ms`,
  );
  log(
    `  deliveries: ${fmtInt(d.sent)} sent, ${fmtInt(d.acked)} acknowledged, ${d.missing} acknowledged but never handled, ${d.repeated} handled twice or more, ` +
      `${d.unacknowledgedButHandled} handled without a 200; drained ${fmtMs(r.drain.afterLoadS, 1)} s after the load${r.drain.timedOut ? ' (TIMED OUT)' : ''}; ` +
      `library: accepted ${fmtInt(accepted)}, processed ${fmtInt(lib.dispatched)}, invalid ${fmtInt(lib.invalid)}, listener failures ${fmtInt(lib.handlerFailures)}, overflowed ${fmtInt(lib.overflowed)}`,
  );
  const m = r.memory;
  log(
    `  memory (processing process): RSS ${fmtMiB(m.before)} before, ${fmtMiB(m.peak)} peak, ${fmtMiB(m.after)} after the drain; heap ${fmtMiB(m.heapBefore)} before, ` +
      `live after full GCs at most ${m.liveHeapMax ? fmtMiB(m.liveHeapMax) : 'n/a (none ran)'}, ${fmtMiB(m.heapAfterGc)} after the drain and a full GC; backlog peak ${fmtInt(m.peakBacklog)}` +
      `${m.receiverPeakRss !== undefined ? `; receiver peak RSS ${fmtMiB(m.receiverPeakRss)}` : ''}`,
  );
}

// -------------------------------------------------------------------------------------------
// 1. Throughput
// -------------------------------------------------------------------------------------------
async function throughput() {
  const names = config.contenders;
  section(`1. Throughput: ${names.join(' / ')}, alternating, ${config.rounds} rounds x ${config.durationSec} s, ${config.connections} connections, warm-up ${config.warmupSec} s`);
  const t = await measureThroughput({
    // `ours@/tmp/exp/dist`: the same server on another build of the library.
    contenders: names.map((name) => {
      const [file, dist] = name.split('@');
      return { name, file, env: dist ? { AMITY_BENCH_LIB: dist } : {} };
    }),
    rounds: config.rounds,
    durationSec: config.durationSec,
    warmupSec: config.warmupSec,
    connections: config.connections,
    nextSeq,
    logFd,
    log,
    quietMoment,
    retriesPerSlot: quick ? 0 : 2,
  });
  log('');
  log(throughputTable(names, t.summary));
  const ratios = {
    oursFloor: t.ratio('ours', 'floor'),
    oursPeer: t.ratio('ours', 'peer'),
    strictFloor: t.ratio('ours-strict', 'floor'),
    strictPeer: t.ratio('ours-strict', 'peer'),
    peerFloor: t.ratio('peer', 'floor'),
  };
  log('');
  log(ratioLine('ours / floor', ratios.oursFloor));
  log(ratioLine('ours / peer', ratios.oursPeer));
  log(ratioLine('ours-strict / floor', ratios.strictFloor));
  log(ratioLine('ours-strict / peer', ratios.strictPeer));
  log(ratioLine('peer / floor', ratios.peerFloor));
  for (const name of names.filter((n) => n.includes('@'))) log(ratioLine(`${name} / floor`, t.ratio(name, 'floor')));
  for (const name of names.filter((n) => n.startsWith('ours'))) {
    const c = t.summary[name].counters;
    log(`  ${name}: ${fmtInt(c.library.accepted)} accepted, ${fmtInt(c.recordedUnique)} reached the listener (${c.recordedRepeats} twice); backlog drained in ${fmtMs(t.summary[name].drainMs, 0)} ms after each slot (median)`);
  }
  log(`  other processes: ${names.map((n) => `${n} ${t.summary[n].foreign.toFixed(2)}`).join(', ')} cores (median per slot); ${t.retries} slot(s) measured again`);
  results.throughput = { summary: t.summary, ratios, rounds: t.rounds, retries: t.retries };
  if (!t.summary.ours || !t.summary.floor || !t.summary.peer) return;
  goal(`throughput: ours/floor >= ${GOALS.oursPerFloor}`, `${fmtRatio(ratios.oursFloor.medians)} (per round ${fmtRatio(ratios.oursFloor.perRound)})`, ratios.oursFloor.medians >= GOALS.oursPerFloor);
  goal(`throughput: ours/peer >= ${GOALS.oursPerPeer}`, `${fmtRatio(ratios.oursPeer.medians)} (per round ${fmtRatio(ratios.oursPeer.perRound)})`, ratios.oursPeer.medians >= GOALS.oursPerPeer);
}

// -------------------------------------------------------------------------------------------
// 2. Slow listeners, in memory
// -------------------------------------------------------------------------------------------
async function slow() {
  section(`2. Slow listeners: ours at ${fmtInt(config.rate)} req/s for ${config.fixedSec} s (after a ${config.rampSec} s ramp-up); two listeners take 2 s, 1 in 10 fails`);
  const r = await fixedRateOn({
    receiver: { file: 'ours-slow', label: 'ours-slow' },
    rate: config.rate,
    durationSec: config.fixedSec,
    rampSec: config.rampSec,
    drainTimeoutMs: 120_000,
  });
  printFixedRate(r, `ours, ${fmtInt(config.rate)} req/s`);
  const d = r.delivery;
  const retained = r.memory.heapAfterGc - r.memory.heapBefore;
  const maxQueueSize = r.counters.library.maxQueueSize;
  goal(`slow listeners: ack p99 < ${GOALS.slowAckP99Ms} ms`, `${fmtMs(r.ack.p99, 2)} ms`, r.ack.p99 < GOALS.slowAckP99Ms);
  goal(`slow listeners: 0 answers over ${SENDER_TIMEOUT_MS} ms or failed`, `${r.ack.slowerThan1500} (ramp-up ${r.ramp.slowerThan1500})`, r.ack.slowerThan1500 + r.ramp.slowerThan1500 === 0);
  goal(
    'slow listeners: every acknowledged event dispatched exactly once',
    `${fmtInt(d.acked)}/${fmtInt(d.sent)} acknowledged, ${d.missing} missing, ${d.repeated} repeated`,
    d.acked === d.sent && d.missing === 0 && d.repeated === 0 && d.unacknowledgedButHandled === 0 && !r.drain.timedOut,
  );
  goal(
    `slow listeners: memory bounded (backlog within maxQueueSize, heap after drain + GC within ${GOALS.retainedMiB} MiB of before)`,
    `backlog peak ${fmtInt(r.memory.peakBacklog)} of ${fmtInt(maxQueueSize)}, retained ${fmtMiB(retained)}`,
    r.memory.peakBacklog <= maxQueueSize && retained < GOALS.retainedMiB * 1048576,
  );
  results.slow = { ...r, timeline: undefined };
}

// -------------------------------------------------------------------------------------------
// 3. Poison payloads
// -------------------------------------------------------------------------------------------
async function poison() {
  const modes = quick ? ['ours'] : ['ours', 'ours-strict'];
  const rate = config.poisonRate + 1;
  section(
    `3. Poison: ${config.poisonRate} valid req/s plus one signed hostile payload per second (60,000 keys, ~0.9 MiB, one invalid field), ${config.fixedSec} s after a ${config.rampSec} s ramp-up; ${modes.join(', ')}`,
  );
  // Built beforehand: a 1 MiB body costs the generator tens of milliseconds.
  const isPoison = (i) => i % rate === rate - 1;
  const bodies = new Map();
  const total = Math.ceil(rate * (config.fixedSec + config.rampSec));
  for (let i = 0; i < total; i++) if (isPoison(i)) bodies.set(i, poisonRequest(i));
  results.poison = {};
  for (const mode of modes) {
    const r = await fixedRateOn({
      receiver: { file: mode, label: `${mode} (poison)` },
      rate,
      durationSec: config.fixedSec,
      rampSec: config.rampSec,
      drainTimeoutMs: 60_000,
      request: (i) => bodies.get(i),
      special: isPoison,
    });
    log(ackTable([[`${mode}: valid, window`, r.ack], [`${mode}: valid, ramp-up`, r.ramp], [`${mode}: hostile`, r.specials]]));
    const d = r.delivery;
    const lib = r.counters.library;
    log(
      `  ${mode}: event-loop delay p99 ${fmtMs(r.eventLoopDelayMs.p99, 1)} / max ${fmtMs(r.eventLoopDelayMs.max, 1)} ms; hostile payloads answered ${r.specials.non200 ? `${r.specials.non200} non-200` : 'all 200'}, ` +
        `${fmtInt(lib.invalid)} reported as amity-webhook.invalid; valid: ${fmtInt(d.acked)}/${fmtInt(d.sent)} acknowledged, ${d.missing} missing, ${d.repeated} repeated; peak RSS ${fmtMiB(r.memory.peak)}`,
    );
    const slowValid = r.ack.slowerThan1500 + r.ramp.slowerThan1500;
    goal(`poison (${mode}): 0 valid deliveries answered over ${SENDER_TIMEOUT_MS} ms`, `${slowValid}; valid ack p99 ${fmtMs(r.ack.p99, 1)} ms, max ${fmtMs(r.ack.max, 1)} ms`, slowValid === 0 && r.ack.count > 0);
    results.poison[mode] = { ...r, timeline: undefined };
  }
}

// -------------------------------------------------------------------------------------------
// 4. Durable mode
// -------------------------------------------------------------------------------------------
async function durable() {
  const redis = await ensureRedis();
  redisInUse = redis.url;
  const prefixOf = (name) => `amity-bench:${runId}:${name}`;
  const durableEnv = (name, role, listeners = 'count') => ({
    BENCH_REDIS_URL: redis.url,
    BENCH_PREFIX: prefixOf(name),
    BENCH_SPOOL_DIR: join(spoolDir, name),
    BENCH_ROLE: role,
    BENCH_LISTENERS: listeners,
    // Slow listeners need room for the calls in flight (1,000 req/s x 2 s x 2 listeners), as in scenario 2.
    ...(listeners === 'slow' ? { BENCH_CONCURRENCY: '4096' } : {}),
  });
  try {
    section(
      `4a. Durable throughput: durable-floor / durable-nest-floor / ours-durable (receiver only, worker: false), alternating, ${config.rounds} rounds x ${config.durationSec} s; ` +
        `Redis ${redis.version} at ${redis.url}${redis.own ? ' (started by the bench, no persistence)' : ' (already running)'}, keys under ${prefixOf('')}`,
    );
    // Each contender stores under a key prefix of its own (`prefix`), dropped after each of its slots.
    const floorEnv = (prefix) => ({ BENCH_REDIS_URL: redis.url, BENCH_PREFIX: prefixOf(prefix) });
    const contenders = [
      { name: 'durable-floor', file: 'durable-floor', prefix: 'durable-floor', env: floorEnv('durable-floor'), drain: false },
      { name: 'durable-nest-floor', file: 'durable-nest-floor', prefix: 'durable-nest-floor', env: floorEnv('durable-nest-floor'), drain: false },
      { name: 'ours-durable', file: 'ours-durable', prefix: 'ours-durable', env: durableEnv('ours-durable', 'receiver'), drain: false },
    ];
    for (const [i, dist] of config.durableAlso.entries()) {
      const prefix = `ours-durable-${i + 2}`;
      contenders.push({ name: `ours-durable@${dist}`, file: 'ours-durable', prefix, env: { ...durableEnv(prefix, 'receiver'), AMITY_BENCH_LIB: dist }, drain: false });
    }
    const names = contenders.map((c) => c.name);
    const t = await measureThroughput({
      contenders,
      rounds: config.rounds,
      durationSec: config.durationSec,
      warmupSec: config.warmupSec,
      connections: config.connections,
      nextSeq,
      logFd,
      log,
      quietMoment,
      retriesPerSlot: 0,
      // Stored jobs are dropped between slots, so Redis holds the same amount for every slot.
      afterSlot: (name) => deletePrefix(redis.url, `${prefixOf(contenders.find((c) => c.name === name).prefix)}:`),
    });
    log('');
    log(throughputTable(names, t.summary));
    const ratio = t.ratio('ours-durable', 'durable-floor');
    log('');
    log(ratioLine('ours-durable / durable-floor', ratio));
    // What a Nest controller behind a guard leaves of the floor, and how much of that the library keeps.
    const nestRatio = t.ratio('durable-nest-floor', 'durable-floor');
    const oursNestRatio = t.ratio('ours-durable', 'durable-nest-floor');
    log(ratioLine('durable-nest-floor / durable-floor', nestRatio));
    log(ratioLine('ours-durable / durable-nest-floor', oursNestRatio));
    for (const name of names.filter((n) => n.includes('@'))) log(ratioLine(`${name} / durable-floor`, t.ratio(name, 'durable-floor')));
    const stored = t.summary['ours-durable'].counters.library;
    if (!(stored.accepted > 0)) throw new Error('ours-durable stored nothing: does this build of the library wire `queue`?');
    goal(`durable throughput: ours-durable/durable-floor >= ${GOALS.durablePerFloor}`, `${fmtRatio(ratio.medians)} (per round ${fmtRatio(ratio.perRound)})`, ratio.medians >= GOALS.durablePerFloor);
    results.durableThroughput = { summary: t.summary, ratio, nestRatio, oursNestRatio, rounds: t.rounds };

    const layouts = [
      { name: 'split', title: 'one receiver process + one worker process at nice 10', receiver: 'receiver', worker: 'worker' },
      { name: 'single', title: 'one process doing both', receiver: 'all' },
    ];
    results.durableSlow = {};
    for (const layout of layouts) {
      section(`4b. Durable, slow listeners (${layout.title}): ${fmtInt(config.rate)} req/s for ${config.fixedSec} s after a ${config.rampSec} s ramp-up; two listeners take 2 s, 1 in 10 fails`);
      const prefix = `slow-${layout.name}`;
      const r = await fixedRateOn({
        receiver: { file: 'ours-durable', env: durableEnv(prefix, layout.receiver, 'slow'), label: `ours-durable ${layout.receiver}` },
        // A worker beside a receiver on one machine runs at a lower CPU priority, as the README advises.
        worker: layout.worker ? { file: 'ours-durable', env: durableEnv(prefix, layout.worker, 'slow'), nice: 10, label: 'ours-durable worker' } : undefined,
        rate: config.rate,
        durationSec: config.fixedSec,
        rampSec: config.rampSec,
        drainTimeoutMs: quick ? 20_000 : 240_000,
      });
      await deletePrefix(redis.url, `${prefixOf(prefix)}:`);
      printFixedRate(r, `ours-durable, ${layout.name}`);
      const d = r.delivery;
      const slowAnswers = r.ack.slowerThan1500 + r.ramp.slowerThan1500;
      goal(`durable ${layout.name}: ack p99 < ${GOALS.durableAckP99Ms} ms`, `${fmtMs(r.ack.p99, 2)} ms`, r.ack.p99 < GOALS.durableAckP99Ms);
      goal(`durable ${layout.name}: 0 answers over ${SENDER_TIMEOUT_MS} ms or failed`, `${slowAnswers}`, slowAnswers === 0);
      goal(
        `durable ${layout.name}: every acknowledged delivery handled`,
        `${fmtInt(d.acked)}/${fmtInt(d.sent)} acknowledged, ${d.missing} missing, ${d.repeated} handled more than once; drained ${fmtMs(r.drain.afterLoadS, 1)} s after the load`,
        d.acked === d.sent && d.missing === 0 && !r.drain.timedOut,
      );
      results.durableSlow[layout.name] = { ...r, timeline: undefined };
    }
    const { split, single } = results.durableSlow;
    log(
      `\n  split vs single: ack p99 ${fmtMs(split.ack.p99, 1)} vs ${fmtMs(single.ack.p99, 1)} ms; drained ${fmtMs(split.drain.afterLoadS, 1)} vs ${fmtMs(single.drain.afterLoadS, 1)} s after the load; ` +
        `CPU ${fmtPct(split.cpu.receiver)} + ${fmtPct(split.cpu.worker)} vs ${fmtPct(single.cpu.receiver)}`,
    );
  } finally {
    await deletePrefix(redis.url, prefixOf('')).catch((error) => log(`  could not delete the bench's Redis keys: ${error.message}`));
    await redis.stop();
  }
}

// -------------------------------------------------------------------------------------------

// Interrupted (Ctrl-C): the servers are killed, then the build snapshot, the spool and this run's
// Redis keys are removed; a private Redis is stopped by its exit hook.
let redisInUse;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    prepared.cleanup();
    rmSync(spoolDir, { recursive: true, force: true });
    void killAllServers()
      .then(() => (redisInUse ? deletePrefix(redisInUse, `amity-bench:${runId}:`, 3000) : 0))
      .catch(() => 0)
      .finally(() => process.exit(130));
  });
}

let crashed = false;
try {
  if (runs('throughput')) await throughput();
  if (runs('slow')) await slow();
  if (runs('poison')) await poison();
  if (runs('durable')) await durable();
} catch (error) {
  crashed = true;
  console.error(`\nBENCH CRASHED: ${error instanceof Error ? error.stack : String(error)}\n(server output: ${relative(ROOT, logPath)})`);
} finally {
  closeSync(logFd);
  prepared.cleanup();
  rmSync(spoolDir, { recursive: true, force: true });
}

section(`Goals${quick ? ' (--quick: too short to judge a goal; run without --quick)' : ''}`);
for (const g of goals) log(`  ${g.pass ? 'PASS' : 'FAIL'}  ${g.goal}: ${g.value}`);
log(`\n  total ${fmtMs(performance.now() / 1000, 1)} s`);

const json = { bench: 'nestjs-amity-webhook', date: startedAt.toISOString(), quick, machine, library, config, goals, crashed };
writeFileSync(join(resultsDir, `${stamp}.json`), JSON.stringify({ ...json, results }, null, 2));
console.log(JSON.stringify(json));
process.exit(crashed ? 1 : 0);
