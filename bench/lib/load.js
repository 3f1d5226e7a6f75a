// Load generators. Every request carries a fresh sequence number and its own signature, so no two
// bodies are alike (the library's duplicate suppression must not turn load into no-ops).
import http from 'node:http';
import autocannon from 'autocannon';
import { BENCH_PATH, signedRequest } from '../payload.js';

/**
 * Closed loop (scenario 1): `connections` keep-alive connections, each sending its next request as
 * soon as the previous answer arrives, for `durationSec`.
 * @param {{ port: number, connections: number, durationSec: number, nextSeq: () => number }} options
 */
export function closedLoop({ port, connections, durationSec, nextSeq }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        pipelining: 1,
        duration: durationSec,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: BENCH_PATH,
            setupRequest(request) {
              const { body, headers } = signedRequest(nextSeq());
              request.body = body;
              request.headers = headers;
              return request;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * Opens `count` keep-alive connections before the load starts, a few at a time (GET, answered 405
 * or 404 without touching the webhook path's logic). Opening hundreds at once while the server is
 * busy overflows its accept queue (511), and the kernel's SYN retries (1 s, 3 s, 7 s) would then
 * show up as multi-second "ack latencies" that have nothing to do with the server.
 */
async function preconnect(agent, port, count) {
  const batch = 16;
  for (let opened = 0; opened < count; opened += batch) {
    const n = Math.min(batch, count - opened);
    await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise((resolve) => {
            const req = http.request({ agent, host: '127.0.0.1', port, path: BENCH_PATH, method: 'GET' }, (res) => {
              res.resume();
              res.on('end', resolve);
            });
            req.on('error', resolve);
            req.end();
          }),
      ),
    );
  }
}

/**
 * Due times of an open-loop schedule: a linear ramp from `fromRate` to `rate` over `rampSec`, then
 * `rate` for `durationSec`.
 */
function schedule({ rate, durationSec, rampSec, fromRate }) {
  const rampCount = rampSec > 0 ? Math.floor(((fromRate + rate) / 2) * rampSec) : 0;
  const total = rampCount + Math.round(rate * durationSec);
  const a = rampSec > 0 ? (rate - fromRate) / (2 * rampSec) : 0;
  /** Seconds after start at which request `i` is due. */
  const dueS = (i) => {
    if (i >= rampCount) return rampSec + (i - rampCount) / rate;
    if (a === 0) return i / fromRate;
    return (-fromRate + Math.sqrt(fromRate * fromRate + 4 * a * i)) / (2 * a);
  };
  return { rampCount, total, dueS };
}

/**
 * Open loop at a fixed offered rate (scenario 2): request `i` is due at a fixed time whatever
 * happened to earlier ones, and its latency is measured from that due time, so a stalled server
 * is charged for the requests that queued behind the stall, including time spent waiting for a
 * free connection (no coordinated omission). Uses a bounded pool of keep-alive connections,
 * opened beforehand, as a webhook sender would. An optional warm-up ramps the rate up linearly
 * (from 10%) before the fixed-rate window, so a cold process is not judged on its first second.
 *
 * `request(i)` may replace the body of request `i` (the poison scenario mixes hostile payloads in);
 * by default request `i` is the bench payload with sequence number `firstSeq + i`.
 *
 * @param {{ port: number, rate: number, durationSec: number, rampSec?: number, firstSeq?: number,
 *   timeoutMs?: number, maxSockets?: number, request?: (i: number) => { body: Buffer, headers: object } }} options
 * @returns per-request latencies (ms, from due time) and statuses (0 = error/timeout);
 *   requests `rampCount..total-1` are the fixed-rate window
 */
export async function openLoop({ port, rate, durationSec, rampSec = 0, firstSeq = 0, timeoutMs = 10_000, maxSockets = 128, request }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  await preconnect(agent, port, maxSockets);
  const { rampCount, total, dueS } = schedule({ rate, durationSec, rampSec, fromRate: rate / 10 });
  const dueMs = new Float64Array(total);
  for (let i = 0; i < total; i++) dueMs[i] = dueS(i) * 1000;
  const latency = new Float64Array(total);
  const status = new Uint16Array(total);
  const settled = new Uint8Array(total);
  let sent = 0;
  let done = 0;
  let worstSendLagMs = 0;
  let start = 0;
  let lastSendAt = 0;
  let peakSockets = 0;

  return new Promise((resolve) => {
    const finish = (i, code) => {
      if (settled[i]) return;
      settled[i] = 1;
      latency[i] = performance.now() - (start + dueMs[i]);
      status[i] = code;
      if (++done === total) {
        agent.destroy();
        resolve({
          total,
          rampCount,
          firstSeq,
          latency,
          status,
          windowSendS: (lastSendAt - start - dueMs[rampCount]) / 1000,
          lastSendAtMs: lastSendAt - start,
          worstSendLagMs,
          sockets: peakSockets,
        });
      }
    };
    const fire = (i) => {
      const { body, headers } = request?.(i) ?? signedRequest(firstSeq + i);
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path: BENCH_PATH,
          method: 'POST',
          headers: { ...headers, 'content-length': body.length },
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(i, res.statusCode));
          res.on('error', () => finish(i, 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(i, 0));
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      if (sent < total && start + dueMs[sent] <= now) {
        const lag = now - (start + dueMs[sent]);
        if (lag > worstSendLagMs) worstSendLagMs = lag;
        while (sent < total && start + dueMs[sent] <= now) fire(sent++);
        lastSendAt = now;
        let sockets = 0;
        for (const list of Object.values(agent.sockets)) sockets += list.length;
        if (sockets > peakSockets) peakSockets = sockets;
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + dueMs[sent] - performance.now())));
    };
    start = performance.now();
    tick();
  });
}
