// Throughput at saturation: contenders measured alternately (closed loop, one under load at a
// time), medians over rounds. Used by the in-memory and the durable throughput scenarios.
import { startServer } from './child.js';
import { closedLoop } from './load.js';
import { foreignCores, machineCpu, median } from './stats.js';

/** A slot during which other processes used more than this many cores is measured again... */
const NOISY_CORES = 0.35;
/** ...at most this many times in a whole run, so a busy machine cannot stretch the run without bound. */
const MAX_RETRIES = 12;

/**
 * @typedef {{ name: string, file: string, env?: object, drain?: boolean }} Contender
 *   `drain: false` for a receiver whose deliveries are not processed here (durable, no worker)
 * @param {{ contenders: Contender[], rounds: number, durationSec: number, warmupSec: number,
 *   connections: number, nextSeq: () => number, logFd: number, log: (line: string) => void,
 *   quietMoment: () => Promise<{ waitedMs: number } | undefined>, retriesPerSlot: number,
 *   afterSlot?: (name: string) => Promise<void> }} options
 */
export async function measureThroughput(options) {
  const { contenders, rounds: roundCount, durationSec, warmupSec, connections, nextSeq, logFd, log, quietMoment } = options;
  const afterSlot = options.afterSlot ?? (async () => {});
  const servers = {};
  try {
    for (const c of contenders) {
      servers[c.name] = await startServer(c.file, { logFd, env: c.env ?? {}, label: c.name });
      log(`  started ${c.name} (pid ${servers[c.name].pid}, port ${servers[c.name].port})`);
    }
    const drain = (c) => (c.drain === false ? Promise.resolve({ drainMs: 0 }) : servers[c.name].call('drain', { timeoutMs: 60_000 }));

    for (const c of contenders) {
      await closedLoop({ port: servers[c.name].port, connections, durationSec: warmupSec, nextSeq });
      await drain(c);
      await afterSlot(c.name);
    }
    log('  warmed up');

    const slot = async (c) => {
      const server = servers[c.name];
      await quietMoment();
      await server.call('reset');
      const machineBefore = machineCpu();
      const clientBefore = process.cpuUsage();
      const t0 = performance.now();
      const result = await closedLoop({ port: server.port, connections, durationSec, nextSeq });
      const elapsedS = (performance.now() - t0) / 1000;
      const client = process.cpuUsage(clientBefore);
      const stats = await server.call('stats');
      const machineAfter = machineCpu();
      // Work left after the replies is finished before anything else runs, and charged to this contender.
      const drained = await drain(c);
      await afterSlot(c.name);
      const serverCpuS = stats.cpuMs / 1000;
      const clientCpuS = (client.user + client.system) / 1e6;
      return {
        rps: result['2xx'] / result.duration,
        non2xx: result.non2xx + result.errors + result.timeouts,
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
        serverCpu: serverCpuS / elapsedS,
        rpsPerServerCpuS: result['2xx'] / serverCpuS,
        // Redis, when there is one, counts as "others" here: it is reported, not retried on.
        foreign: foreignCores(machineBefore, machineAfter, elapsedS, serverCpuS + clientCpuS),
        peakRss: stats.peakRss,
        backlogAtEnd: stats.pending,
        drainMs: drained.drainMs,
      };
    };

    const rounds = Object.fromEntries(contenders.map((c) => [c.name, []]));
    let retries = 0;
    for (let r = 0; r < roundCount; r++) {
      // The order rotates every round, so no contender always runs first or after the same one.
      const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
      for (const c of order) {
        let s;
        for (let attempt = 0; ; attempt++) {
          s = await slot(c);
          s.noisy = c.drain !== false && s.foreign > NOISY_CORES;
          if (!s.noisy || attempt >= options.retriesPerSlot || retries >= MAX_RETRIES) break;
          retries++;
          log(`  round ${r + 1} ${c.name}: other processes used ${s.foreign.toFixed(2)} cores; measuring again`);
        }
        rounds[c.name].push(s);
        log(
          `  round ${r + 1} ${c.name.padEnd(13)} ${Math.round(s.rps).toLocaleString('en-US').padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  max ${s.max} ms  ` +
            `non-2xx ${s.non2xx}  server CPU ${Math.round(s.serverCpu * 100)}%  others ${s.foreign.toFixed(2)} cores` +
            `${s.backlogAtEnd && c.drain !== false ? `  backlog ${s.backlogAtEnd} drained in ${Math.round(s.drainMs)} ms` : ''}${s.noisy ? '  (noisy)' : ''}`,
        );
      }
    }

    const summary = {};
    for (const c of contenders) {
      const slots = rounds[c.name];
      const counters = (await servers[c.name].call('stats')).counters;
      summary[c.name] = {
        rps: median(slots.map((s) => s.rps)),
        rpsMin: Math.min(...slots.map((s) => s.rps)),
        rpsMax: Math.max(...slots.map((s) => s.rps)),
        rpsPerServerCpuS: median(slots.map((s) => s.rpsPerServerCpuS)),
        p50: median(slots.map((s) => s.p50)),
        p99: median(slots.map((s) => s.p99)),
        max: median(slots.map((s) => s.max)),
        maxWorst: Math.max(...slots.map((s) => s.max)),
        non2xx: slots.reduce((a, s) => a + s.non2xx, 0),
        serverCpu: median(slots.map((s) => s.serverCpu)),
        foreign: median(slots.map((s) => s.foreign)),
        noisySlots: slots.filter((s) => s.noisy).length,
        peakRss: Math.max(...slots.map((s) => s.peakRss)),
        drainMs: median(slots.map((s) => s.drainMs)),
        counters,
      };
    }
    /** Ratio of medians, and median of the per-round ratios (less exposed to slow drifts of the VM). */
    const ratio = (a, b) => {
      if (!summary[a] || !summary[b]) return { medians: NaN, perRound: NaN, perCpu: NaN };
      return {
        medians: summary[a].rps / summary[b].rps,
        perRound: median(rounds[a].map((s, i) => s.rps / rounds[b][i].rps)),
        perCpu: summary[a].rpsPerServerCpuS / summary[b].rpsPerServerCpuS,
      };
    };
    return { summary, rounds, retries, ratio };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}
