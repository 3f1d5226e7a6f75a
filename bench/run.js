#!/usr/bin/env node
// npm run bench [-- --quick] : throughput and acknowledgement benchmark of nestjs-amity-webhook.
// See bench/README.md for what is measured and how to read it. Exits non-zero only on a crash;
// goals are reported as PASS/FAIL lines.
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './lib/child.js';
import { prepareLibrary, ROOT } from './lib/library.js';
import { closedLoop, openLoop } from './lib/load.js';
import {
  fmtInt,
  fmtMiB,
  fmtMs,
  fmtPct,
  fmtRatio,
  foreignCores,
  machineCpu,
  median,
  percentile,
  stealCores,
  table,
  waitForQuiet,
} from './lib/stats.js';

const BENCH = dirname(fileURLToPath(import.meta.url));

const HELP = `Usage: npm run bench -- [options]

  --quick               short run for a quick check (< 1 minute)
  --only <s1|s2>        run one scenario
  --contenders <list>   scenario 1 contenders (default floor,peer,ours,ours-strict); a contender
                        written server@<dir> runs on another build of the library, to A/B a change;
                        diagnostic contenders: nest-floor (the floor's route inside a Nest app),
                        raw-floor (the floor's work on bare node:http), ours-routed (fastLane: false), ours-noidem
  --rounds <n>          scenario 1 rounds (default 6; quick 3)
  --duration <s>        scenario 1 seconds per measured slot (default 8; quick 1.25)
  --warmup <s>          scenario 1 warm-up seconds per contender (default 5; quick 0.75)
  --connections <n>     scenario 1 connections (default 64)
  --rate <n>            scenario 2 offered requests/s (default 1000)
  --s2-duration <s>     scenario 2 measured seconds (default 30; quick 4)
  --s2-warmup <s>       scenario 2 ramp-up seconds before the fixed-rate window (default 3; quick 1)
  --concurrency <n>     scenario 2 dispatcher concurrency (default 4096)
  --no-build            do not rebuild the library even if dist is older than src
  --no-quiet-wait       do not wait for other processes to go quiet before each slot

Environment: AMITY_BENCH_LIB=<dir or index.js> measures another build of the library.`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    contenders: { type: 'string', default: 'floor,peer,ours,ours-strict' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
    's2-duration': { type: 'string' },
    's2-warmup': { type: 'string' },
    concurrency: { type: 'string', default: '4096' },
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
  contenders: flags.contenders.split(',').map((s) => s.trim()).filter(Boolean),
  rounds: num(flags.rounds, quick ? 3 : 6),
  durationSec: num(flags.duration, quick ? 1.25 : 8),
  warmupSec: num(flags.warmup, quick ? 0.75 : 5),
  connections: num(flags.connections, 64),
  rate: num(flags.rate, 1000),
  s2DurationSec: num(flags['s2-duration'], quick ? 4 : 30),
  s2WarmupSec: num(flags['s2-warmup'], quick ? 1 : 3),
  concurrency: num(flags.concurrency, 4096),
  quietWait: !flags['no-quiet-wait'],
};
const runScenario1 = flags.only === undefined || flags.only === 's1';
const runScenario2 = flags.only === undefined || flags.only === 's2';

/** Scenario 2 goals. */
const ACK_P99_GOAL_MS = 10;
const SENDER_TIMEOUT_MS = 1500;
/** Heap still in use after the drain and a full GC, above the idle baseline: a leak if large. */
const RETAINED_LIMIT_MIB = 16;
/** Scenario 1 goal. */
const FLOOR_RATIO_GOAL = 0.8;
/** A slot during which other processes used more than this many cores is measured again. */
const NOISY_CORES = 0.35;
const MAX_RETRIES_PER_SLOT = quick ? 0 : 2;
const MAX_RETRIES = 12;
/** Total time the run may spend waiting for other processes to go quiet. */
let quietBudgetMs = quick ? 4000 : 120_000;

async function quietMoment() {
  if (!config.quietWait || quietBudgetMs <= 0) return undefined;
  const quiet = await waitForQuiet(quick ? { maxWaitMs: Math.min(2000, quietBudgetMs), windowMs: 250 } : { maxWaitMs: Math.min(15_000, quietBudgetMs) });
  quietBudgetMs -= quiet.waitedMs;
  return quiet;
}

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const resultsDir = join(BENCH, 'results');
mkdirSync(resultsDir, { recursive: true });
const logPath = join(resultsDir, `${stamp}-servers.log`);
const logFd = openSync(logPath, 'a');

const log = (...parts) => console.log(...parts);
const section = (title) => log(`\n== ${title} ${'='.repeat(Math.max(0, 90 - title.length))}`);

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

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
  versions: {
    fastify: version('fastify'),
    '@nestjs/core': version('@nestjs/core'),
    '@nestjs/platform-fastify': version('@nestjs/platform-fastify'),
    'class-validator': version('class-validator'),
    'class-transformer': version('class-transformer'),
    autocannon: version('autocannon'),
  },
};

section(`nestjs-amity-webhook bench${quick ? ' (--quick)' : ''}  ${startedAt.toISOString()}`);
const prepared = prepareLibrary({ build: !flags['no-build'], snapshotDir: join(resultsDir, `lib-${stamp}`), log });
const library = prepared.info;
log(`machine   ${machine.cpu}, ${machine.memory}, ${machine.os}, node ${machine.node}`);
log(`versions  ${Object.entries(machine.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
log(
  `library   ${library.source}${library.commit ? ` @ ${library.commit}` : ''}${library.srcDirty ? ` + ${library.srcDirty} uncommitted src change(s)` : ''}${library.built ? `; ${library.built}` : ''}`,
);
log(`logs      ${relative(ROOT, logPath)}`);

// ---------------------------------------------------------------------------------------------
// Scenario 1: throughput, alternating contenders
// ---------------------------------------------------------------------------------------------

let seq = 0;
const nextSeq = () => seq++;

async function measureSlot(server, durationSec) {
  const quiet = await quietMoment();
  await server.call('reset');
  const machineBefore = machineCpu();
  const clientBefore = process.cpuUsage();
  const t0 = performance.now();
  const result = await closedLoop({ port: server.port, connections: config.connections, durationSec, nextSeq });
  const elapsedS = (performance.now() - t0) / 1000;
  const clientCpu = process.cpuUsage(clientBefore);
  const stats = await server.call('stats');
  const machineAfter = machineCpu();
  // Backlog left by the slot (ours dispatches after replying): finished before anything else runs.
  const drain = await server.call('drain', { timeoutMs: 60_000 });
  const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6;
  const serverCpuS = stats.cpuMs / 1000;
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    serverCpu: serverCpuS / elapsedS,
    clientCpu: clientCpuS / elapsedS,
    rpsPerServerCpuS: ok / serverCpuS,
    foreign: foreignCores(machineBefore, machineAfter, elapsedS, serverCpuS + clientCpuS),
    steal: stealCores(machineBefore, machineAfter, elapsedS),
    quietWaitMs: quiet?.waitedMs ?? 0,
    peakRss: stats.peakRss,
    backlogAtEnd: stats.pending,
    peakBacklog: stats.peakPending,
    drainMs: drain.drainMs,
    drainTimedOut: drain.timedOut,
  };
}

async function scenario1() {
  section(
    `Scenario 1: throughput. ${config.contenders.join(' / ')}, alternating, ${config.rounds} rounds x ${config.durationSec} s, ` +
      `${config.connections} connections, warm-up ${config.warmupSec} s each`,
  );
  const servers = {};
  for (const name of config.contenders) {
    // `server@/path/to/dist`: the same server on another build of the library (A/B of a change).
    const [file, lib] = name.split('@');
    const env = lib ? { AMITY_BENCH_LIB: lib } : {};
    servers[name] = await startServer(file, { logFd, env, label: name });
    log(`  started ${name} (pid ${servers[name].pid}, port ${servers[name].port})`);
  }
  for (const name of config.contenders) {
    await closedLoop({ port: servers[name].port, connections: config.connections, durationSec: config.warmupSec, nextSeq });
    await servers[name].call('drain', { timeoutMs: 60_000 });
  }
  log('  warmed up');

  const rounds = Object.fromEntries(config.contenders.map((n) => [n, []]));
  let retries = 0;
  for (let r = 0; r < config.rounds; r++) {
    // Rotate the order each round so no contender always runs first (or right after another).
    const order = config.contenders.map((_, i) => config.contenders[(i + r) % config.contenders.length]);
    for (const name of order) {
      let slot;
      for (let attempt = 0; ; attempt++) {
        slot = await measureSlot(servers[name], config.durationSec);
        slot.noisy = slot.foreign > NOISY_CORES;
        if (!slot.noisy || attempt >= MAX_RETRIES_PER_SLOT || retries >= MAX_RETRIES) break;
        retries++;
        log(`  round ${r + 1} ${name}: other processes used ${slot.foreign.toFixed(2)} cores; measuring again`);
      }
      slot.round = r + 1;
      rounds[name].push(slot);
      log(
        `  round ${r + 1} ${name.padEnd(11)} ${fmtInt(slot.rps).padStart(7)} req/s  p50 ${fmtMs(slot.p50, 0)} ms  p99 ${fmtMs(slot.p99, 0)} ms  ` +
          `max ${fmtMs(slot.max, 0)} ms  non-2xx ${slot.non2xx}  server CPU ${fmtPct(slot.serverCpu)}  client CPU ${fmtPct(slot.clientCpu)}  ` +
          `others ${slot.foreign.toFixed(2)} cores${slot.backlogAtEnd ? `  backlog ${slot.backlogAtEnd} drained in ${fmtMs(slot.drainMs, 0)} ms` : ''}` +
          `${slot.noisy ? '  (noisy)' : ''}`,
      );
    }
  }

  const finals = {};
  for (const name of config.contenders) {
    finals[name] = {
      stats: await servers[name].call('stats'),
      drain: await servers[name].call('drain', { timeoutMs: 60_000 }),
      counters: (await servers[name].call('stats')).counters,
    };
    await servers[name].stop();
  }

  const summary = {};
  for (const name of config.contenders) {
    const slots = rounds[name];
    summary[name] = {
      rps: median(slots.map((s) => s.rps)),
      rpsMin: Math.min(...slots.map((s) => s.rps)),
      rpsMax: Math.max(...slots.map((s) => s.rps)),
      rpsPerServerCpuS: median(slots.map((s) => s.rpsPerServerCpuS)),
      p50: median(slots.map((s) => s.p50)),
      p99: median(slots.map((s) => s.p99)),
      max: median(slots.map((s) => s.max)),
      maxWorst: Math.max(...slots.map((s) => s.max)),
      non2xx: slots.reduce((a, s) => a + s.non2xx + s.errors + s.timeouts, 0),
      serverCpu: median(slots.map((s) => s.serverCpu)),
      clientCpu: median(slots.map((s) => s.clientCpu)),
      foreign: median(slots.map((s) => s.foreign)),
      noisySlots: slots.filter((s) => s.noisy).length,
      peakRss: Math.max(...slots.map((s) => s.peakRss)),
      maxRss: finals[name].stats.maxRss,
      backlogAtEnd: median(slots.map((s) => s.backlogAtEnd)),
      peakBacklog: Math.max(...slots.map((s) => s.peakBacklog)),
      drainMs: median(slots.map((s) => s.drainMs)),
      counters: finals[name].counters,
    };
  }

  log('');
  log(
    table(
      [
        ['contender', 'left'],
        ['req/s (median)', 'right'],
        ['min..max req/s', 'right'],
        ['p50 ms', 'right'],
        ['p99 ms', 'right'],
        ['max ms', 'right'],
        ['non-2xx/err', 'right'],
        ['req per server CPU-s', 'right'],
        ['server CPU', 'right'],
        ['peak RSS', 'right'],
      ],
      config.contenders.map((name) => {
        const s = summary[name];
        return [
          name,
          fmtInt(s.rps),
          `${fmtInt(s.rpsMin)}..${fmtInt(s.rpsMax)}`,
          fmtMs(s.p50, 0),
          fmtMs(s.p99, 0),
          `${fmtMs(s.max, 0)} (worst ${fmtMs(s.maxWorst, 0)})`,
          String(s.non2xx),
          fmtInt(s.rpsPerServerCpuS),
          fmtPct(s.serverCpu),
          fmtMiB(s.peakRss),
        ];
      }),
    ),
  );
  log('  (latency: median over rounds of each round\'s p50/p99/max; "worst" = highest max of any round; peak RSS sampled every 50 ms)');

  const ratio = (a, b, key = 'rps') => (summary[a] && summary[b] ? summary[a][key] / summary[b][key] : NaN);
  // Per-round ratio of two contenders measured a few seconds apart: less exposed to slow drifts
  // of the machine than the ratio of medians.
  const paired = (a, b) =>
    rounds[a] && rounds[b] ? median(rounds[a].map((slot, i) => slot.rps / rounds[b][i].rps)) : NaN;
  const ratios = {
    oursFloor: ratio('ours', 'floor'),
    oursPeer: ratio('ours', 'peer'),
    strictFloor: ratio('ours-strict', 'floor'),
    strictPeer: ratio('ours-strict', 'peer'),
    peerFloor: ratio('peer', 'floor'),
    paired: {
      oursFloor: paired('ours', 'floor'),
      oursPeer: paired('ours', 'peer'),
      strictFloor: paired('ours-strict', 'floor'),
      strictPeer: paired('ours-strict', 'peer'),
    },
    cpuNormalized: {
      oursFloor: ratio('ours', 'floor', 'rpsPerServerCpuS'),
      oursPeer: ratio('ours', 'peer', 'rpsPerServerCpuS'),
      strictFloor: ratio('ours-strict', 'floor', 'rpsPerServerCpuS'),
      strictPeer: ratio('ours-strict', 'peer', 'rpsPerServerCpuS'),
    },
  };
  log('');
  log(
    `  ${'ratios of median req/s:'.padEnd(32)}ours/floor ${fmtRatio(ratios.oursFloor)}   ours/peer ${fmtRatio(ratios.oursPeer)}   ` +
      `strict/floor ${fmtRatio(ratios.strictFloor)}   strict/peer ${fmtRatio(ratios.strictPeer)}   peer/floor ${fmtRatio(ratios.peerFloor)}`,
  );
  log(
    `  ${'median of per-round ratios:'.padEnd(32)}ours/floor ${fmtRatio(ratios.paired.oursFloor)}   ours/peer ${fmtRatio(ratios.paired.oursPeer)}   ` +
      `strict/floor ${fmtRatio(ratios.paired.strictFloor)}   strict/peer ${fmtRatio(ratios.paired.strictPeer)}`,
  );
  log(
    `  ${'ratios of req per server CPU-s:'.padEnd(32)}ours/floor ${fmtRatio(ratios.cpuNormalized.oursFloor)}   ours/peer ${fmtRatio(ratios.cpuNormalized.oursPeer)}   ` +
      `strict/floor ${fmtRatio(ratios.cpuNormalized.strictFloor)}   strict/peer ${fmtRatio(ratios.cpuNormalized.strictPeer)}`,
  );
  const diagnostic = config.contenders.filter((n) => !['floor', 'peer', 'ours', 'ours-strict'].includes(n));
  if (diagnostic.length > 0 && summary.floor) {
    log(
      `  ${'other contenders / floor:'.padEnd(32)}` +
        diagnostic.map((n) => `${n} ${fmtRatio(ratio(n, 'floor'))} (per round ${fmtRatio(paired(n, 'floor'))})`).join('   '),
    );
  }
  for (const name of ['ours', 'ours-strict']) {
    const s = summary[name];
    if (!s) continue;
    const c = s.counters ?? {};
    log(
      `  ${name}: peak RSS ${fmtMiB(s.peakRss)} (kernel maxRSS ${fmtMiB(s.maxRss)}); backlog after the reply: ` +
        `peak ${fmtInt(s.peakBacklog)}, left at slot end ${fmtInt(s.backlogAtEnd)} (median), drained in ${fmtMs(s.drainMs, 0)} ms; ` +
        `listener calls ${fmtInt(c.dispatched)}${c.library?.accepted !== undefined ? `, accepted ${fmtInt(c.library.accepted)}, duplicates ${fmtInt(c.library.duplicates)}, overflowed ${fmtInt(c.library.overflowed)}` : ''}`,
    );
  }
  const noisy = config.contenders.reduce((a, n) => a + summary[n].noisySlots, 0);
  log(
    `  machine noise: other processes used ${config.contenders.map((n) => `${n} ${summary[n].foreign.toFixed(2)}`).join(', ')} cores (median per slot); ` +
      `${retries} slot(s) re-measured, ${noisy} kept as noisy`,
  );
  return { summary, ratios, rounds, retries };
}

// ---------------------------------------------------------------------------------------------
// Scenario 2: slow listeners at a fixed offered rate
// ---------------------------------------------------------------------------------------------

async function scenario2() {
  const { rate, s2DurationSec: durationSec, s2WarmupSec: warmupSec, concurrency } = config;
  section(
    `Scenario 2: ${fmtInt(rate)} req/s offered for ${durationSec} s (after a ${warmupSec} s ramp-up), listeners take 2 s (1 in 10 fails), concurrency ${concurrency}`,
  );
  await quietMoment();
  // --expose-gc only so that, after the drain, a full GC shows what is still retained.
  const server = await startServer('ours-slow', { logFd, env: { BENCH_CONCURRENCY: String(concurrency) }, execArgv: ['--expose-gc'] });
  const before = await server.call('reset');

  const timeline = [];
  const loadStart = performance.now();
  const poll = setInterval(() => {
    server
      .call('stats')
      .then((s) => timeline.push({ t: (performance.now() - loadStart) / 1000, rss: s.rss, pending: s.pending, heapUsed: s.heapUsed }))
      .catch(() => {});
  }, 1000);
  // One continuous open-loop run: a ramp-up (10% -> 100% of the rate), then the fixed-rate window.
  const running = openLoop({ port: server.port, rate, durationSec, rampSec: warmupSec, firstSeq: seq });
  let windowStats;
  let machineBefore;
  const windowTimer = setTimeout(() => {
    machineBefore = machineCpu();
    windowStats = server.call('reset', { keepPeaks: true });
  }, warmupSec * 1000);
  const load = await running;
  clearTimeout(windowTimer);
  clearInterval(poll);
  await windowStats;
  const atLoadEnd = await server.call('stats');
  const machineAfter = machineCpu();
  const drainStart = performance.now();
  const drain = await server.call('drain', { timeoutMs: 120_000 });
  const drainedAfterLoadMs = performance.now() - drainStart;
  const after = await server.call('stats');
  const afterGc = await server.call('gc');
  const report = await server.call('report');
  await server.stop();
  seq += load.total;

  const latencyOf = (from, to) => {
    const values = [];
    let slow = 0;
    let failed = 0;
    let non200 = 0;
    for (let i = from; i < to; i++) {
      if (load.status[i] === 0) failed++;
      else if (load.status[i] !== 200) non200++;
      if (load.status[i] === 0 || load.latency[i] > SENDER_TIMEOUT_MS) slow++;
      values.push(load.latency[i]);
    }
    values.sort((a, b) => a - b);
    return {
      count: values.length,
      p50: percentile(values, 50),
      p90: percentile(values, 90),
      p99: percentile(values, 99),
      p999: percentile(values, 99.9),
      max: values.at(-1),
      slowerThan1500: slow,
      failed,
      non200,
    };
  };
  const ack = latencyOf(load.rampCount, load.total);
  const warmup = latencyOf(0, load.rampCount);

  // Exactly once: every acknowledged request reached the (never failing) recorder listener once.
  const counts = Buffer.from(report.counts ?? '', 'base64');
  let acked = 0;
  let missing = 0;
  let repeated = 0;
  let unacknowledgedButDispatched = 0;
  for (let i = 0; i < load.total; i++) {
    const n = counts[load.firstSeq + i] ?? 0;
    if (load.status[i] === 200) {
      acked++;
      if (n === 0) missing++;
    } else if (n > 0) unacknowledgedButDispatched++;
    if (n > 1) repeated++;
  }
  const exactlyOnce = { sent: load.total, acked, dispatchedUnique: after.counters.recordedUnique, missing, repeated, unacknowledgedButDispatched };

  // Memory: a plateau, not a slope. Compare the end of the load with its midpoint.
  const loadS = load.lastSendAtMs / 1000;
  const mid = timeline.find((p) => p.t >= warmupSec + (loadS - warmupSec) / 2);
  const end = timeline.filter((p) => p.t <= loadS).at(-1);
  const memory = {
    before: before.rss,
    peak: Math.max(after.peakRss, ...timeline.map((p) => p.rss)),
    atLoadEnd: atLoadEnd.rss,
    after: after.rss,
    heapBefore: before.heapUsed,
    heapAtLoadEnd: atLoadEnd.heapUsed,
    heapAfter: after.heapUsed,
    afterGc: afterGc.rss,
    heapAfterGc: afterGc.heapUsed,
    secondHalfGrowth: mid && end ? end.rss - mid.rss : NaN,
    secondHalfGrowthRatio: mid && end ? (end.rss - mid.rss) / mid.rss : NaN,
    peakPending: after.peakPending,
    maxQueueSize: after.counters.library?.maxQueueSize,
    liveHeapAfterMajorGcMax: atLoadEnd.gc.liveAfterMajorMax,
    perInFlightKiB: (Math.max(after.peakRss, ...timeline.map((p) => p.rss)) - before.rss) / 1024 / Math.max(1, after.peakPending),
  };
  const windowS = atLoadEnd.elapsedMs / 1000;
  const server_ = {
    cpu: atLoadEnd.cpuMs / atLoadEnd.elapsedMs,
    eventLoopDelayMs: atLoadEnd.eventLoopDelayMs,
    gc: atLoadEnd.gc,
    others: foreignCores(machineBefore, machineAfter, windowS, atLoadEnd.cpuMs / 1000),
  };

  const row = (label, l) => [
    label,
    fmtInt(l.count),
    fmtMs(l.p50, 2),
    fmtMs(l.p90, 2),
    fmtMs(l.p99, 2),
    fmtMs(l.p999, 2),
    fmtMs(l.max, 1),
    String(l.slowerThan1500),
    String(l.non200),
    String(l.failed),
  ];
  log(
    table(
      [
        ['ack latency', 'left'],
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
      [row(`fixed ${fmtInt(rate)} req/s, ${durationSec} s`, ack), row(`ramp-up, ${warmupSec} s`, warmup)],
    ),
  );
  log(
    `  offered ${fmtInt((load.total - load.rampCount) / load.windowSendS)} req/s over the window (generator worst lag ${fmtMs(load.worstSendLagMs, 1)} ms, ` +
      `${load.sockets} connections)`,
  );
  const c = after.counters;
  const lib = c.library ?? {};
  log(
    `  server during the window: CPU ${fmtPct(server_.cpu)}, event-loop delay p50 ${fmtMs(server_.eventLoopDelayMs.p50, 1)} / p99 ${fmtMs(server_.eventLoopDelayMs.p99, 1)} / max ${fmtMs(server_.eventLoopDelayMs.max, 1)} ms, ` +
      `GC ${server_.gc.count} pauses ${fmtMs(server_.gc.totalMs, 0)} ms in total (max ${fmtMs(server_.gc.maxMs, 1)} ms; ${server_.gc.major} major, max ${fmtMs(server_.gc.majorMaxMs, 1)} ms); ` +
      `other processes ${server_.others.toFixed(2)} cores`,
  );
  log(
    `  dispatch: ${fmtInt(exactlyOnce.sent)} sent, ${fmtInt(exactlyOnce.acked)} acknowledged, ${fmtInt(exactlyOnce.dispatchedUnique)} dispatched, ${exactlyOnce.missing} missing, ` +
      `${exactlyOnce.repeated} dispatched twice or more, ${exactlyOnce.unacknowledgedButDispatched} dispatched without a 200; ` +
      `backlog drained ${fmtMs(drainedAfterLoadMs / 1000, 1)} s after the load${drain.timedOut ? ' (TIMED OUT)' : ''}`,
  );
  log(
    `  listeners: peak ${fmtInt(c.peakInFlight)} recorder calls in flight (backlog peak ${fmtInt(after.peakPending)}); flaky listener ${fmtInt(c.flakyCalls)} calls, ${fmtInt(c.flakyThrown)} failed` +
      `${lib.handlerFailures !== undefined ? ` (library: ${fmtInt(lib.handlerFailures)} failures reported, ${fmtInt(c.failureEvents)} handler-failed events)` : ''}` +
      `${lib.dispatched !== undefined ? `; library stats: accepted ${fmtInt(lib.accepted)}, dispatched ${fmtInt(lib.dispatched)}, overflowed ${fmtInt(lib.overflowed)}, duplicates ${fmtInt(lib.duplicates)}` : ''}`,
  );
  log(
    `  RSS: before ${fmtMiB(memory.before)}, peak ${fmtMiB(memory.peak)}, at load end ${fmtMiB(memory.atLoadEnd)}, after drain ${fmtMiB(memory.after)}; ` +
      `second half of the window ${memory.secondHalfGrowth >= 0 ? '+' : ''}${fmtMiB(memory.secondHalfGrowth)} (${fmtPct(memory.secondHalfGrowthRatio)}); ` +
      `~${fmtMs(memory.perInFlightKiB, 1)} KiB of RSS per in-flight delivery at peak`,
  );
  log(
    `  heap used: before ${fmtMiB(memory.heapBefore)}, live after full GCs during the window at most ${fmtMiB(memory.liveHeapAfterMajorGcMax)}, ` +
      `at load end ${fmtMiB(memory.heapAtLoadEnd)}, after drain ${fmtMiB(memory.heapAfter)}, after drain + full GC ${fmtMiB(memory.heapAfterGc)} (RSS ${fmtMiB(memory.afterGc)})`,
  );
  return {
    ack,
    warmup,
    exactlyOnce,
    memory,
    server: server_,
    timeline,
    load: { total: load.total, rampCount: load.rampCount, worstSendLagMs: load.worstSendLagMs, sockets: load.sockets },
    counters: c,
  };
}

// ---------------------------------------------------------------------------------------------

let s1;
let s2;
let crashed = false;
try {
  if (runScenario1) s1 = await scenario1();
  if (runScenario2) s2 = await scenario2();
} catch (error) {
  crashed = true;
  console.error(`\nBENCH CRASHED: ${error instanceof Error ? error.stack : String(error)}\n(server output: ${relative(ROOT, logPath)})`);
} finally {
  closeSync(logFd);
  prepared.cleanup();
}

const goals = [];
if (s1?.ratios && Number.isFinite(s1.ratios.oursFloor)) {
  goals.push({ goal: `scenario 1: ours/floor >= ${FLOOR_RATIO_GOAL}`, value: fmtRatio(s1.ratios.oursFloor), pass: s1.ratios.oursFloor >= FLOOR_RATIO_GOAL });
}
if (s2) {
  const eo = s2.exactlyOnce;
  goals.push(
    { goal: `scenario 2: ack p99 < ${ACK_P99_GOAL_MS} ms`, value: `${fmtMs(s2.ack.p99, 2)} ms`, pass: s2.ack.p99 < ACK_P99_GOAL_MS },
    {
      goal: `scenario 2: 0 responses slower than ${SENDER_TIMEOUT_MS} ms or failed`,
      value: `${s2.ack.slowerThan1500} (ramp-up: ${s2.warmup.slowerThan1500})`,
      pass: s2.ack.slowerThan1500 === 0,
    },
    {
      goal: 'scenario 2: every event acknowledged and dispatched exactly once',
      value: `${eo.acked}/${eo.sent} acked, ${eo.missing} missing, ${eo.repeated} repeated`,
      pass: eo.acked === eo.sent && eo.missing === 0 && eo.repeated === 0 && eo.unacknowledgedButDispatched === 0,
    },
    {
      goal: `scenario 2: memory bounded (backlog within maxQueueSize; heap after drain + GC within ${RETAINED_LIMIT_MIB} MiB of before)`,
      value: `backlog peak ${fmtInt(s2.memory.peakPending)} of ${fmtInt(s2.memory.maxQueueSize)}, retained ${fmtMiB(s2.memory.heapAfterGc - s2.memory.heapBefore)}`,
      pass:
        (s2.memory.maxQueueSize === undefined || s2.memory.peakPending <= s2.memory.maxQueueSize) &&
        s2.memory.heapAfterGc - s2.memory.heapBefore < RETAINED_LIMIT_MIB * 1048576,
    },
  );
  if (config.s2DurationSec < 20) goals.push({ goal: 'scenario 2 ran >= 20 s (use the full run for the goal)', value: `${config.s2DurationSec} s`, pass: false });
}
section('Goals');
for (const g of goals) log(`  ${g.pass ? 'PASS' : 'FAIL'}  ${g.goal}: ${g.value}`);
log(`\n  total ${fmtMs((performance.now()) / 1000, 1)} s`);

const json = {
  bench: 'nestjs-amity-webhook',
  date: startedAt.toISOString(),
  quick,
  machine,
  library,
  config,
  scenario1: s1 && { summary: s1.summary, ratios: s1.ratios, retries: s1.retries },
  scenario2: s2 && { ack: s2.ack, warmup: s2.warmup, exactlyOnce: s2.exactlyOnce, memory: s2.memory, server: s2.server, load: s2.load, counters: s2.counters },
  goals: goals.map(({ goal, value, pass }) => ({ goal, value, pass })),
  crashed,
};
writeFileSync(join(resultsDir, `${stamp}.json`), JSON.stringify({ ...json, scenario1Rounds: s1?.rounds, scenario2Timeline: s2?.timeline }, null, 2));
console.log(JSON.stringify(json));
process.exit(crashed ? 1 : 0);
