import { afterEach, describe, expect, it } from '@jest/globals';
import { AmityWorkerThrottle } from './amity-worker.throttle.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks the event loop for `ms`, as a burst of job callbacks does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('AmityWorkerThrottle (real event loop)', () => {
  const throttles: AmityWorkerThrottle[] = [];
  afterEach(() => {
    for (const throttle of throttles.splice(0)) throttle.stop();
  });

  function watch(worker: { concurrency: number }, max = 64, maxDelayMs = 20): AmityWorkerThrottle {
    const throttle = new AmityWorkerThrottle(worker, max, maxDelayMs);
    throttles.push(throttle);
    return throttle;
  }

  it('leaves the worker alone while the loop is calm', async () => {
    const worker = { concurrency: 64 };
    // A bound no scheduling hiccup of a busy CI machine reaches: the loop here only sleeps.
    watch(worker, 64, 100);
    await sleep(300);
    expect(worker.concurrency).toBe(64);
  });

  it('halves the concurrency while the loop runs late, then grows it back step by step once calm', async () => {
    const worker = { concurrency: 64 };
    watch(worker, 64, 30);
    // A loop kept busy by 80 ms tasks back to back for 800 ms: every timer runs late.
    const seen: number[] = [];
    await new Promise<void>((resolve) => {
      const until = performance.now() + 800;
      const task = () => {
        busy(80);
        seen.push(worker.concurrency);
        if (performance.now() < until) setImmediate(task);
        else resolve();
      };
      setImmediate(task);
    });
    const lowest = Math.min(...seen);
    expect(lowest).toBeLessThanOrEqual(8);
    expect(lowest).toBeGreaterThanOrEqual(1);

    // One step (at least 1) per calm window of 50 ms: back to 64 within about 3 s, never above it.
    await sleep(400);
    const recovering = worker.concurrency;
    expect(recovering).toBeGreaterThan(lowest);
    expect(recovering).toBeLessThan(64);
    const deadline = Date.now() + 10_000;
    while (worker.concurrency < 64 && Date.now() < deadline) await sleep(50);
    expect(worker.concurrency).toBe(64);
    await sleep(200);
    expect(worker.concurrency).toBe(64);
  });

  it('backs off when storing received deliveries is slow although the loop is calm', async () => {
    const worker = { concurrency: 64 };
    const throttle = watch(worker);
    for (let i = 0; i < 6; i++) {
      throttle.noteStore(45);
      await sleep(50);
    }
    expect(worker.concurrency).toBeLessThan(64);
    const lowered = worker.concurrency;
    for (let i = 0; i < 6; i++) {
      throttle.noteStore(2);
      await sleep(50);
    }
    expect(worker.concurrency).toBeGreaterThan(lowered);
  });

  it('stops adjusting once stopped', async () => {
    const worker = { concurrency: 64 };
    watch(worker).stop();
    busy(120);
    await sleep(120);
    expect(worker.concurrency).toBe(64);
  });
});
