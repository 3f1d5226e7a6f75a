import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import Fastify from 'fastify';
import {
  AMITY_BODY_BUDGET_BYTES,
  AMITY_BODY_READ_DEADLINE_MS,
  AmityBodyBudget,
  AmityBodyReadError,
  readAmityBody,
  type AmityBodyBudgetHolder,
  type AmityBodyReadLimits,
} from './amity-body.reader.js';

/** A budget that remembers the most it ever held, checked after every reservation. */
class PeakBudget extends AmityBodyBudget {
  peak = 0;
  override reserve(holder: AmityBodyBudgetHolder, bytes: number): boolean {
    const ok = super.reserve(holder, bytes);
    this.peak = Math.max(this.peak, this.held);
    return ok;
  }
}

interface Outcome {
  status: number;
  reason?: string;
  bytes?: number;
}

/** A node:http server whose handler reads the body as the library's callers must, and records each outcome. */
async function startServer(limits: (req: IncomingMessage) => AmityBodyReadLimits): Promise<{ server: Server; port: number; outcomes: Outcome[] }> {
  const outcomes: Outcome[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readAmityBody(req, limits(req));
      outcomes.push({ status: 200, bytes: body.length });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body.subarray(0, 32));
    } catch (error) {
      const e = error as AmityBodyReadError;
      outcomes.push({ status: e.status, reason: e.reason });
      if (e.reason === 'aborted') return void req.destroy();
      res.writeHead(e.status, { connection: 'close', 'content-type': 'text/plain' }).end(e.message);
    }
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, outcomes };
}

/** A raw client: sends the head and what it is told, records the answer and when the server closed the socket. */
class RawClient {
  readonly socket: Socket;
  response = '';
  closed: Promise<void>;
  constructor(port: number, head: Record<string, string | number>, path = '/') {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('latin1');
    this.socket.on('data', (text: string) => (this.response += text));
    this.socket.on('error', () => undefined);
    this.closed = once(this.socket, 'close').then(() => undefined);
    const lines = Object.entries(head).map(([k, v]) => `${k}: ${v}`);
    this.socket.write(`POST ${path} HTTP/1.1\r\nhost: x\r\n${lines.join('\r\n')}\r\n\r\n`);
  }
  /** Resolves once the first bytes of an answer have arrived. */
  async answered(): Promise<void> {
    while (this.response === '') await sleep(5);
  }
  get status(): number {
    return Number(this.response.slice(9, 12));
  }
  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }
}

const servers: Server[] = [];
async function serve(limits: (req: IncomingMessage) => AmityBodyReadLimits) {
  const started = await startServer(limits);
  servers.push(started.server);
  return started;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

const declared = (req: IncomingMessage): number | undefined =>
  req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('readAmityBody defaults', () => {
  it('leaves a sender that delivers within 1.5 s a wide margin, and holds 32 full bodies', () => {
    expect(AMITY_BODY_READ_DEADLINE_MS).toBeGreaterThanOrEqual(3 * 1_500);
    expect(AMITY_BODY_BUDGET_BYTES).toBe(32 * 1024 * 1024);
    expect(new AmityBodyBudget().capacity).toBe(AMITY_BODY_BUDGET_BYTES);
    expect(() => new AmityBodyBudget(0)).toThrow(/positive integer/);
  });
});

describe('readAmityBody over real sockets', () => {
  it('reads a body that arrives slowly but within the deadline, byte for byte, and releases its bytes', async () => {
    const budget = new PeakBudget(1024 * 1024);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 1024, deadlineMs: 1_000, budget, declaredLength: declared(req) }));
    const body = Buffer.from(JSON.stringify({ event: 'message.didCreate', data: { text: 'héllo 👩‍💻' } }));
    const client = new RawClient(port, { 'content-length': body.length });
    for (let i = 0; i < body.length; i += 8) {
      client.write(body.subarray(i, i + 8));
      await sleep(5);
    }
    await client.answered();
    expect(outcomes).toEqual([{ status: 200, bytes: body.length }]);
    expect(budget.peak).toBe(body.length);
    expect(budget.held).toBe(0);
    expect(budget.holderCount).toBe(0);
    client.socket.destroy();
  });

  it('refuses a body declared over the limit before reading it: 413, socket closed', async () => {
    const budget = new PeakBudget(1024 * 1024);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 100, budget, declaredLength: declared(req) }));
    const client = new RawClient(port, { 'content-length': 101 });
    await client.closed;
    expect(client.status).toBe(413);
    expect(client.response).toMatch(/connection: close/i);
    expect(client.response).toMatch(/Body exceeds the limit of 100 bytes/);
    expect(outcomes).toEqual([{ status: 413, reason: 'too-large' }]);
    expect(budget.peak).toBe(0);
  });

  it('refuses a chunked body once it passes the limit, without holding more than the limit: 413, socket closed', async () => {
    const budget = new PeakBudget(1024 * 1024);
    const { port, outcomes } = await serve(() => ({ bodyLimit: 1_000, budget }));
    const client = new RawClient(port, { 'transfer-encoding': 'chunked' });
    const chunk = (n: number) => `${n.toString(16)}\r\n${'x'.repeat(n)}\r\n`;
    client.write(chunk(600));
    await sleep(20);
    client.write(chunk(600));
    await client.closed;
    expect(client.status).toBe(413);
    expect(outcomes).toEqual([{ status: 413, reason: 'too-large' }]);
    expect(budget.peak).toBeLessThanOrEqual(1_000);
    expect(budget.held).toBe(0);
  });

  it('answers 408 to a body that stalls past the deadline and closes the socket', async () => {
    const budget = new PeakBudget(1024 * 1024);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 1024, deadlineMs: 150, budget, declaredLength: declared(req) }));
    const started = Date.now();
    const client = new RawClient(port, { 'content-length': 1000 });
    client.write('x'.repeat(500));
    await client.closed;
    const elapsed = Date.now() - started;
    expect(client.status).toBe(408);
    expect(client.response).toMatch(/not received within 150 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_000);
    expect(outcomes).toEqual([{ status: 408, reason: 'timeout' }]);
    expect(budget.peak).toBe(500);
    expect(budget.held).toBe(0);
  });

  it('answers 503 when the budget is full of bodies as large as this one, and closes the socket', async () => {
    const budget = new PeakBudget(1_000);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 1024, deadlineMs: 2_000, budget, declaredLength: declared(req) }));
    const first = new RawClient(port, { 'content-length': 900 });
    first.write('a'.repeat(600));
    await sleep(50);
    const second = new RawClient(port, { 'content-length': 900 });
    second.write('b'.repeat(600));
    await second.closed;
    expect(second.status).toBe(503);
    expect(second.response).toMatch(/retry later/);
    expect(outcomes).toEqual([{ status: 503, reason: 'busy' }]);
    // The first one keeps its room and completes.
    first.write('a'.repeat(300));
    await first.answered();
    expect(first.status).toBe(200);
    expect(budget.peak).toBeLessThanOrEqual(1_000);
    expect(budget.held).toBe(0);
    first.socket.destroy();
  });

  it('sheds a large stalled body to make room for a small one, which is read', async () => {
    const budget = new PeakBudget(1_000);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 1024, deadlineMs: 2_000, budget, declaredLength: declared(req) }));
    const stalled = new RawClient(port, { 'content-length': 1000 });
    stalled.write('s'.repeat(950));
    await sleep(50);
    const small = new RawClient(port, { 'content-length': 100 });
    small.write('v'.repeat(100));
    await stalled.closed;
    await small.answered();
    expect(stalled.status).toBe(503);
    expect(small.status).toBe(200);
    expect(outcomes).toEqual([
      { status: 503, reason: 'busy' },
      { status: 200, bytes: 100 },
    ]);
    expect(budget.peak).toBeLessThanOrEqual(1_000);
    expect(budget.held).toBe(0);
    small.socket.destroy();
  });

  it('releases the bytes of a client that disconnects mid-body', async () => {
    const budget = new PeakBudget(1024 * 1024);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 1024, deadlineMs: 2_000, budget, declaredLength: declared(req) }));
    const client = new RawClient(port, { 'content-length': 1000 });
    client.write('x'.repeat(400));
    await sleep(50);
    expect(budget.held).toBe(400);
    client.socket.destroy();
    while (outcomes.length === 0) await sleep(5);
    expect(outcomes).toEqual([{ status: 400, reason: 'aborted' }]);
    expect(budget.held).toBe(0);
  });

  it('holds at most the budget with 1,000 stalled connections, closes them all, and still reads a valid delivery in time', async () => {
    const capacity = 4 * 1024 * 1024;
    const perClient = 64 * 1024;
    const budget = new PeakBudget(capacity);
    const { port, outcomes } = await serve((req) => ({ bodyLimit: 1024 * 1024, deadlineMs: 1_500, budget, declaredLength: declared(req) }));
    const stalled: RawClient[] = [];
    for (let i = 0; i < 1_000; i++) {
      const client = new RawClient(port, { 'content-length': 1024 * 1024 - 1 });
      client.write(Buffer.alloc(perClient, 0x61));
      stalled.push(client);
    }
    // Let every stalled body reach the server (64 MB offered against a 4 MiB budget).
    while (outcomes.length < 1_000 - capacity / perClient) await sleep(10);
    expect(budget.held).toBeLessThanOrEqual(capacity);

    // A real delivery, while the stalled ones hold the budget.
    const started = Date.now();
    const valid = new RawClient(port, { 'content-length': 2_000 });
    valid.write(Buffer.alloc(2_000, 0x7b));
    await valid.answered();
    expect(valid.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
    valid.socket.destroy();

    await Promise.all(stalled.map((c) => c.closed));
    expect(budget.peak).toBeLessThanOrEqual(capacity);
    expect(budget.held).toBe(0);
    expect(budget.holderCount).toBe(0);
    const byStatus = new Map<number, number>();
    for (const c of stalled) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
    // Refused or shed (503) for lack of room, or timed out (408): every one answered and closed.
    expect([...byStatus.keys()].sort()).toEqual([408, 503]);
    expect((byStatus.get(408) ?? 0) + (byStatus.get(503) ?? 0)).toBe(1_000);
    expect(byStatus.get(408)).toBeLessThanOrEqual(capacity / perClient);
  }, 20_000);
});

describe("readAmityBody on Fastify's preParsing payload", () => {
  async function startFastify(budget: AmityBodyBudget) {
    const app = Fastify();
    app.post(
      '/hook',
      {
        preParsing: async (request, reply, payload) => {
          try {
            const body = await readAmityBody(payload, { bodyLimit: 1024, deadlineMs: 150, budget });
            // Fastify's parser checks Content-Length against what it reads: hand it the same bytes.
            return Readable.from([body]);
          } catch (error) {
            reply.header('connection', 'close');
            throw error;
          }
        },
      },
      (request, reply) => reply.send({ got: request.body }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, port: (app.server.address() as AddressInfo).port };
  }

  it('passes a body through to the parser, and answers 408 with the socket closed to a stalled one', async () => {
    const budget = new PeakBudget(1024 * 1024);
    const { app, port } = await startFastify(budget);
    try {
      const body = JSON.stringify({ event: 'x' });
      const ok = new RawClient(port, { 'content-type': 'application/json', 'content-length': body.length }, '/hook');
      ok.write(body);
      await ok.answered();
      expect(ok.status).toBe(200);
      expect(ok.response).toContain('{"got":{"event":"x"}}');
      ok.socket.destroy();

      const stalled = new RawClient(port, { 'content-type': 'application/json', 'content-length': 100 }, '/hook');
      stalled.write('{"event":');
      await stalled.closed;
      expect(stalled.status).toBe(408);
      expect(stalled.response).toMatch(/connection: close/i);
      expect(budget.peak).toBe(body.length);
      expect(budget.held).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('readAmityBody on any stream', () => {
  it('concatenates many chunks, and accepts an empty body', async () => {
    const stream = new PassThrough();
    const read = readAmityBody(stream, { bodyLimit: 10 });
    stream.write('abc');
    stream.write(Buffer.from('def'));
    stream.end();
    expect((await read).toString()).toBe('abcdef');
    const empty = new PassThrough();
    const readEmpty = readAmityBody(empty, { bodyLimit: 10 });
    empty.end();
    expect((await readEmpty).length).toBe(0);
  });

  it('refuses a stream that was already read instead of waiting for the deadline', async () => {
    const stream = Readable.from([Buffer.from('x')]);
    stream.resume();
    await once(stream, 'end');
    await expect(readAmityBody(stream, { bodyLimit: 10 })).rejects.toMatchObject({ status: 400, reason: 'aborted' });
  });

  it('stops reading on failure, and a later stream error does not escape', async () => {
    const stream = new PassThrough();
    const read = readAmityBody(stream, { bodyLimit: 2 });
    stream.write('abc');
    const error = await read.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmityBodyReadError);
    expect(stream.isPaused()).toBe(true);
    stream.destroy(new Error('late reset'));
    await new Promise((resolve) => stream.on('close', resolve));
  });

  it('a budget sheds only holders larger than the requester would become, the oldest first', () => {
    const budget = new AmityBodyBudget(100);
    const shed: string[] = [];
    const holder = (name: string): AmityBodyBudgetHolder => {
      const h: AmityBodyBudgetHolder = { shed: () => (shed.push(name), budget.release(h)) };
      return h;
    };
    const [a, b, c, d] = [holder('a'), holder('b'), holder('c'), holder('d')];
    expect(budget.reserve(a, 40)).toBe(true);
    expect(budget.reserve(b, 40)).toBe(true);
    expect(budget.reserve(c, 20)).toBe(true);
    // d needs 30: a and b hold 40 > 30, the older one goes.
    expect(budget.reserve(d, 30)).toBe(true);
    expect(shed).toEqual(['a']);
    // c asks for 25 more (would hold 45): only holders above 45 may be shed, there are none.
    expect(budget.reserve(c, 25)).toBe(false);
    expect(budget.heldBy(c)).toBe(20);
    expect(budget.held).toBe(90);
    budget.release(b);
    budget.release(b);
    expect(budget.held).toBe(50);
  });
});
