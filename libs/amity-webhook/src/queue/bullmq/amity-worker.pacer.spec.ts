import { describe, expect, it } from '@jest/globals';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { AmityWorkerPacer } from './amity-worker.pacer.js';

/** Blocks the event loop for `ms`, as building an event or finishing a job does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/**
 * Round trips over a real loopback socket while `load` runs: what a request reaching a process
 * whose worker is busy waits for. Resolves with the longest round trip once `load` settled.
 */
async function longestRoundTrip(load: () => Promise<unknown>): Promise<number> {
  const server = createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  client.setNoDelay(true);
  let longest = 0;
  let done = false;
  const pinging = new Promise<void>((resolve) => {
    const ping = () => {
      if (done) return resolve();
      const sent = performance.now();
      client.once('data', () => {
        longest = Math.max(longest, performance.now() - sent);
        ping();
      });
      client.write('x');
    };
    ping();
  });
  // A few round trips first, so that the measure runs before the load starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await load();
  done = true;
  await pinging;
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  return longest;
}

describe('AmityWorkerPacer (real event loop)', () => {
  it('runs work at once while inactive (a worker-only process), passing results and errors on', async () => {
    const pacer = new AmityWorkerPacer(5);
    let ran = false;
    const result = pacer.pace(() => {
      ran = true;
      return 42;
    });
    expect(ran).toBe(true);
    await expect(result).resolves.toBe(42);
    await expect(pacer.pace(() => { throw new Error('bad payload'); })).rejects.toThrow('bad payload');
  });

  it('once active, runs work in a later turn, in the order it was paced, passing results and errors on', async () => {
    const pacer = new AmityWorkerPacer(5);
    pacer.activate();
    const order: number[] = [];
    let ran = false;
    const first = pacer.pace(() => {
      ran = true;
      order.push(1);
      return 'one';
    });
    expect(ran).toBe(false);
    const failing = pacer.pace(() => {
      order.push(2);
      throw new Error('listener missing');
    });
    const third = pacer.pace(() => order.push(3));
    await expect(first).resolves.toBe('one');
    await expect(failing).rejects.toThrow('listener missing');
    await expect(third).resolves.toBe(3);
    expect(order).toEqual([1, 2, 3]);
  });

  it('calls beforeSlice at the start of each turn with paced work: after that turn\'s timers and I/O, before its slice', async () => {
    const log: string[] = [];
    const pacer = new AmityWorkerPacer(1, () => log.push('before'));
    pacer.activate();
    await Promise.all(
      [1, 2, 3].map((n) =>
        pacer.pace(() => {
          // Due in the next turn, as a request read then would be.
          if (n === 1) setTimeout(() => log.push('timer'), 0);
          busy(2);
          log.push(`work ${n}`);
        }),
      ),
    );
    expect(log).toEqual(['before', 'work 1', 'timer', 'before', 'work 2', 'before', 'work 3']);
  });

  it('lets I/O through between slices of a burst that would otherwise hold the loop for 300 ms', async () => {
    const burst = (pacer: AmityWorkerPacer) => Promise.all(Array.from({ length: 300 }, () => pacer.pace(() => busy(1))));
    const unpaced = await longestRoundTrip(() => burst(new AmityWorkerPacer(5)));
    const active = new AmityWorkerPacer(5);
    active.activate();
    const paced = await longestRoundTrip(() => burst(active));
    // Without pacing one round trip waits for the whole burst; with it, for about one 5 ms slice.
    expect(unpaced).toBeGreaterThan(250);
    expect(paced).toBeLessThan(60);
  });

  it('counts what runs right after each piece (the job finishing) against the slice', async () => {
    const pacer = new AmityWorkerPacer(5);
    pacer.activate();
    // Each piece is instant; its continuation, in the same turn, takes 2 ms: 400 ms in all.
    const job = async () => {
      await pacer.pace(() => undefined);
      busy(2);
    };
    const longest = await longestRoundTrip(() => Promise.all(Array.from({ length: 200 }, job)));
    expect(longest).toBeLessThan(60);
  });

  it('runs at least one piece per turn, however long each takes', async () => {
    const pacer = new AmityWorkerPacer(1);
    pacer.activate();
    const turns: number[] = [];
    let turn = 0;
    const counting = setInterval(() => turn++, 0);
    await Promise.all(Array.from({ length: 5 }, () => pacer.pace(() => { turns.push(turn); busy(3); })));
    clearInterval(counting);
    expect(turns).toHaveLength(5);
    // One piece per turn: each later piece saw the loop go round (its timers ran) in between.
    for (let i = 1; i < turns.length; i++) expect(turns[i]!).toBeGreaterThan(turns[i - 1]!);
  });
});
