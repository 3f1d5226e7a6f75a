#!/usr/bin/env node
// CPU profile of one contender under the bench's load, with `node --cpu-prof`, then the analysis
// of the load window (bench/analyze-profile.js).
//
//   node bench/profile.js [--server ours] [--scenario 1|2] [--duration 10] [--warmup 3]
//                         [--connections 64] [--rate 1000] [--interval 250] [--top 25]
//
// --server: floor | peer | ours | ours-strict (scenario 1), ours-slow (scenario 2; the default
// there). The profile is kept in bench/results/ (open it in Chrome DevTools or speedscope too).
import { mkdirSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, report } from './analyze-profile.js';
import { startServer } from './lib/child.js';
import { prepareLibrary, ROOT } from './lib/library.js';
import { closedLoop, openLoop } from './lib/load.js';

const { values: flags } = parseArgs({
  options: {
    server: { type: 'string' },
    scenario: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4096' },
    interval: { type: 'string', default: '250' },
    top: { type: 'string', default: '25' },
    'no-build': { type: 'boolean', default: false },
  },
});
const scenario = flags.scenario === '2' ? 2 : 1;
const server = flags.server ?? (scenario === 2 ? 'ours-slow' : 'ours');
const durationSec = Number(flags.duration);
const warmupSec = Number(flags.warmup);

const resultsDir = join(ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const profileName = `${stamp}-${server}-s${scenario}.cpuprofile`;
const profilePath = join(resultsDir, profileName);
const logFd = openSync(join(resultsDir, `${stamp}-profile-servers.log`), 'a');

const prepared = prepareLibrary({ build: !flags['no-build'], snapshotDir: join(resultsDir, `lib-${stamp}`), log: console.log });
try {
  const child = await startServer(server, {
    logFd,
    env: { BENCH_CONCURRENCY: flags.concurrency },
    execArgv: ['--cpu-prof', '--cpu-prof-dir', resultsDir, '--cpu-prof-name', profileName, '--cpu-prof-interval', flags.interval],
  });
  let seq = 0;
  const nextSeq = () => seq++;
  console.log(`profiling ${server} (pid ${child.pid}), scenario ${scenario}, warm-up ${warmupSec} s, window ${durationSec} s`);

  let from;
  let summary;
  if (scenario === 1) {
    await closedLoop({ port: child.port, connections: Number(flags.connections), durationSec: warmupSec, nextSeq });
    await child.call('drain');
    from = (await child.call('reset')).monotonicUs;
    const r = await closedLoop({ port: child.port, connections: Number(flags.connections), durationSec, nextSeq });
    summary = `${Math.round(r['2xx'] / r.duration)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`;
  } else {
    // A ramp-up, then the fixed-rate window, in one open-loop run; the profile keeps the window.
    const rate = Number(flags.rate);
    const run = openLoop({ port: child.port, rate, durationSec, rampSec: warmupSec });
    await new Promise((resolve) => setTimeout(resolve, warmupSec * 1000));
    from = (await child.call('reset')).monotonicUs;
    const r = await run;
    const lat = Array.from(r.latency.subarray(r.rampCount)).sort((a, b) => a - b);
    summary = `${rate} req/s offered, ack p50 ${lat[lat.length >> 1].toFixed(2)} ms, p99 ${lat[Math.floor(lat.length * 0.99)].toFixed(2)} ms, max ${lat.at(-1).toFixed(1)} ms`;
  }
  const stats = await child.call('stats');
  const to = stats.monotonicUs;
  console.log(
    `load: ${summary}; server CPU ${Math.round((100 * stats.cpuMs) / stats.elapsedMs)}% of the window, ` +
      `GC ${stats.gc.count} pauses ${stats.gc.totalMs.toFixed(0)} ms (max ${stats.gc.maxMs.toFixed(1)} ms), event-loop delay max ${stats.eventLoopDelayMs.max.toFixed(1)} ms`,
  );
  await child.call('drain', { timeoutMs: 60_000 });
  await child.stop();
  for (let i = 0; i < 50 && !existsSync(profilePath); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  console.log(`profile ${profilePath}\n`);
  console.log(report(analyze(profile, { from, to }), { top: Number(flags.top) }));
} finally {
  closeSync(logFd);
  prepared.cleanup();
}
