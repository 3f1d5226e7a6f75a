// What an ioredis Pipeline costs the garbage collector, beside plain commands, measured in one run.
// Durable mode stored each turn's deliveries with BullMQ's addBulk, which is one ioredis pipeline
// (as auto-pipelining is), until it moved to one plain add each; this shows why a pipeline costs
// more collector time than one command each:
// a Pipeline defines its own `length` accessor in its constructor, which gives every pipeline a
// hidden class of its own, allocated in the old generation and reaching back to the pipeline, so
// each pipeline and everything it holds (commands, serialised arguments, replies) survives the
// minor collections until the next full one.
//
// Each mode runs in a fresh process: 64 loops, each awaiting one 1.5 KB SET at a time, for the
// given seconds. Printed: operations per second, minor-GC milliseconds per 1,000 operations, full
// GCs, and how much the old generation grew per 1,000 operations between full GCs.
//
//   node bench/ioredis-pipeline.js [--seconds 6]      # Redis at REDIS_URL or 127.0.0.1:6379
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { fmtInt, fmtRatio, table } from './lib/stats.js';

const MODES = {
  command: 'one SET each',
  pipeline: 'one pipeline with one SET each',
  'pipeline-unused': 'a pipeline made and dropped, then one SET',
  'pipeline-64-scripts': 'one pipeline each, on a client with 64 scripts (as many as BullMQ 6.7 defines)',
  'own-accessor': 'no pipeline: a plain object given its own accessor, as the Pipeline constructor does, then one SET',
};
const LOOPS = 64;
const VALUE = 'v'.repeat(1536);

const { values: flags } = parseArgs({ options: { seconds: { type: 'string', default: '6' }, mode: { type: 'string' } } });
const seconds = Number(flags.seconds);
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

if (flags.mode) await child(flags.mode);
else await parent();

async function parent() {
  const rows = [];
  for (const mode of Object.keys(MODES)) {
    const result = await new Promise((resolve, reject) => {
      const proc = fork(fileURLToPath(import.meta.url), ['--mode', mode, '--seconds', String(seconds)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      proc.once('message', resolve);
      proc.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${mode} exited with ${code}`))));
    });
    rows.push({ mode, ...result });
  }
  const base = rows.find((r) => r.mode === 'command');
  console.log(`ioredis pipelines and the collector: ${LOOPS} loops x ${seconds} s per mode, Redis at ${url.replace(/\/\/[^@]*@/, '//')}`);
  console.log(
    table(
      [['mode', 'left'], ['ops/s'], ['vs one SET each'], ['minor GC ms per 1k ops'], ['full GCs'], ['old gen growth per 1k ops']],
      rows.map((r) => [
        `${r.mode}: ${MODES[r.mode]}`,
        fmtInt(r.opsPerSec),
        fmtRatio(r.opsPerSec / base.opsPerSec),
        r.minorMsPer1k.toFixed(2),
        fmtInt(r.majorGcs),
        `${(r.oldGrowthPer1k / 1024).toFixed(0)} KiB`,
      ]),
    ),
  );
}

async function child(mode) {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  if (mode === 'pipeline-64-scripts') {
    for (let i = 0; i < 64; i++) client.defineCommand(`benchScript${i}`, { numberOfKeys: 1, lua: `return ${i}` });
  }
  await client.ping();
  const prefix = `ioredis-pipeline-bench:${process.pid}:`;
  const once = {
    command: (key) => client.set(key, VALUE, 'PX', 2000),
    pipeline: (key) => client.pipeline().set(key, VALUE, 'PX', 2000).exec(),
    'pipeline-unused': (key) => (client.pipeline(), client.set(key, VALUE, 'PX', 2000)),
    'pipeline-64-scripts': (key) => client.pipeline().set(key, VALUE, 'PX', 2000).exec(),
    'own-accessor': (key) => {
      const holder = { queue: [key] };
      Object.defineProperty(holder, 'length', { get: () => holder.queue.length });
      return client.set(key, VALUE, 'PX', 2000);
    },
  }[mode];

  let minorMs = 0;
  let majorGcs = 0;
  let oldGrowth = 0;
  let lastOld = oldSpaceUsed();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorMs += entry.duration;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        majorGcs++;
        lastOld = oldSpaceUsed();
      }
    }
  });
  // The old generation's growth is sampled often and summed only while it grows (full GCs shrink it).
  const sampler = setInterval(() => {
    const now = oldSpaceUsed();
    if (now > lastOld) oldGrowth += now - lastOld;
    lastOld = now;
  }, 20);
  observer.observe({ entryTypes: ['gc'] });

  let ops = 0;
  const end = performance.now() + seconds * 1000;
  const loop = async (id) => {
    for (let i = 0; performance.now() < end; i++) {
      await once(`${prefix}${id}:${i % 100}`);
      ops++;
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, (_, id) => loop(id)));
  clearInterval(sampler);
  observer.disconnect();
  await client.quit();
  process.send({ opsPerSec: ops / seconds, minorMsPer1k: (minorMs / ops) * 1000, majorGcs, oldGrowthPer1k: (oldGrowth / ops) * 1000 });
  process.disconnect();
}

function oldSpaceUsed() {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_used_size;
}
