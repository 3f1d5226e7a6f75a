// One open-loop run at a fixed offered rate against a receiver, with the deliveries processed
// either in the receiver or in a separate worker process; then the backlog is drained and every
// acknowledged request is checked against the recorder listener's per-id counts. Used by the
// slow-listener, poison and durable scenarios.
import { openLoop } from './load.js';
import { foreignCores, machineCpu, percentile } from './stats.js';

/** social.plus gives up on a delivery after this long, and never retries. */
export const SENDER_TIMEOUT_MS = 1500;

/** Latency figures of requests `from..to-1` that `include(i)` keeps. */
function latencyOf(load, from, to, include = () => true) {
  const values = [];
  let slow = 0;
  let failed = 0;
  let non200 = 0;
  for (let i = from; i < to; i++) {
    if (!include(i)) continue;
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
}

/**
 * @param {{ receiver: object, worker?: object, rate: number, durationSec: number, rampSec: number,
 *   firstSeq: number, drainTimeoutMs: number, request?: (i: number) => object,
 *   special?: (i: number) => boolean }} options
 *   `receiver`/`worker`: handles from startServer; without `worker` the receiver processes.
 *   `special(i)`: requests (poison) left out of the latency and delivery checks, reported apart.
 */
export async function fixedRate({ receiver, worker, rate, durationSec, rampSec, firstSeq, drainTimeoutMs, request, special = () => false }) {
  const processing = worker ?? receiver;
  const servers = worker ? [receiver, worker] : [receiver];
  const before = await processing.call('reset');
  if (worker) await receiver.call('reset');

  const timeline = [];
  const loadStart = performance.now();
  const poll = setInterval(() => {
    processing
      .call('stats')
      .then((s) => timeline.push({ t: (performance.now() - loadStart) / 1000, rss: s.rss, pending: s.pending, heapUsed: s.heapUsed }))
      .catch(() => {});
  }, 1000);
  // One continuous run: a ramp-up (10% -> 100% of the rate), then the fixed-rate window, whose
  // counters start when the ramp-up ends.
  const running = openLoop({ port: receiver.port, rate, durationSec, rampSec, firstSeq, request });
  let machineBefore;
  let clientBefore;
  let windowReset;
  const windowTimer = setTimeout(() => {
    machineBefore = machineCpu();
    clientBefore = process.cpuUsage();
    windowReset = Promise.all(servers.map((s) => s.call('reset', { keepPeaks: true })));
  }, rampSec * 1000);
  const load = await running;
  clearTimeout(windowTimer);
  clearInterval(poll);
  await windowReset;
  const atLoadEnd = await Promise.all(servers.map((s) => s.call('stats')));
  const machineAfter = machineCpu();
  const client = process.cpuUsage(clientBefore);
  const drainStart = performance.now();
  const drain = await processing.call('drain', { timeoutMs: drainTimeoutMs });
  const drainedAfterS = (performance.now() - drainStart) / 1000;
  const after = await processing.call('stats');
  const afterGc = await processing.call('gc');
  const report = await processing.call('report');

  const normal = (i) => !special(i);
  const ack = latencyOf(load, load.rampCount, load.total, normal);
  const ramp = latencyOf(load, 0, load.rampCount, normal);
  const specials = latencyOf(load, 0, load.total, special);

  // Every acknowledged request reached the (never failing) recorder listener: once, or more.
  const counts = Buffer.from(report.counts ?? '', 'base64');
  const delivery = { sent: 0, acked: 0, missing: 0, repeated: 0, unacknowledgedButHandled: 0 };
  for (let i = 0; i < load.total; i++) {
    if (special(i)) continue;
    const n = counts[firstSeq + i] ?? 0;
    delivery.sent++;
    if (load.status[i] === 200) {
      delivery.acked++;
      if (n === 0) delivery.missing++;
    } else if (n > 0) delivery.unacknowledgedButHandled++;
    if (n > 1) delivery.repeated++;
  }

  const windowS = atLoadEnd[0].elapsedMs / 1000;
  const ownCpuS = atLoadEnd.reduce((a, s) => a + s.cpuMs / 1000, 0) + (client.user + client.system) / 1e6;
  const peakRss = Math.max(after.peakRss, ...timeline.map((p) => p.rss));
  return {
    load: { total: load.total, rampCount: load.rampCount, worstSendLagMs: load.worstSendLagMs, sockets: load.sockets, offered: (load.total - load.rampCount) / load.windowSendS },
    ack,
    ramp,
    specials,
    delivery,
    drain: { afterLoadS: drainedAfterS, timedOut: drain.timedOut },
    memory: {
      before: before.rss,
      peak: peakRss,
      atLoadEnd: atLoadEnd.at(-1).rss,
      after: after.rss,
      heapBefore: before.heapUsed,
      heapAfterGc: afterGc.heapUsed,
      liveHeapMax: atLoadEnd.at(-1).gc.liveAfterMajorMax,
      peakBacklog: after.peakPending,
      receiverPeakRss: worker ? atLoadEnd[0].peakRss : undefined,
    },
    cpu: {
      receiver: atLoadEnd[0].cpuMs / atLoadEnd[0].elapsedMs,
      worker: worker ? atLoadEnd[1].cpuMs / atLoadEnd[1].elapsedMs : undefined,
      others: foreignCores(machineBefore, machineAfter, windowS, ownCpuS),
    },
    eventLoopDelayMs: atLoadEnd[0].eventLoopDelayMs,
    /** The receiver's own time per accepted request in the window (ours only). */
    answeredMs: atLoadEnd[0].counters.answeredMs,
    gc: atLoadEnd[0].gc,
    counters: after.counters,
    /** The receiver's counters at the end of the load (accepted, rejected), when a worker processes. */
    receiverCounters: worker ? atLoadEnd[0].counters : undefined,
    timeline,
  };
}
