import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { AmityRedisIdempotencyStore, type AmityDeliveryInfo } from '../src/index.js';
import { postSigned, rawPost } from './fixture/http.js';
import { createProbeApp, probeMessage, type ProbeApp } from './fixture/probe.app.js';
import { testRedisUrl } from './support/test-redis.js';

const SECRET = 'guarantees-secret';


describe('delivery guarantees (real HTTP)', () => {
  const apps: ProbeApp[] = [];
  async function boot(...args: Parameters<typeof createProbeApp>): Promise<ProbeApp> {
    const probe = await createProbeApp(...args);
    apps.push(probe);
    return probe;
  }
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((p) => p.app.close()));
  });

  describe('bounded queue', () => {
    it('answers 200 at once while handlers run, with at most `concurrency` in flight', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, concurrency: 3 });
      probe.script = () => ({ delayMs: 100 });
      const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => postSigned(url, probeMessage(`c${i}`), SECRET)));
      expect(replies.map((r) => r.status)).toEqual(Array(12).fill(200));
      expect(await dispatcher.backlog()).toBeGreaterThan(0);
      await dispatcher.onIdle();
      expect(probe.finished).toHaveLength(12);
      expect(probe.maxConcurrent).toBe(3);
    });

    it('refuses with 503 what does not fit, and never drops an accepted delivery', async () => {
      const { url, probe, dispatcher, logger } = await boot({ secrets: SECRET, concurrency: 1, maxQueueSize: 3 });
      probe.script = () => ({ delayMs: 150 });
      const replies = [];
      for (let i = 0; i < 6; i++) replies.push(await postSigned(url, probeMessage(`q${i}`), SECRET));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 503, 503, 503]);
      expect(replies[3]!.headers['retry-after']).toBe('1');
      expect(JSON.parse(replies[3]!.body).message).toMatch(/queue is full/);
      await dispatcher.onIdle();
      expect(probe.finished).toEqual(['q0', 'q1', 'q2']);
      expect(dispatcher.stats).toMatchObject({ accepted: 3, overflowed: 3, dispatched: 3 });
      expect(logger.text()).toMatch(/503 full .*refused with 503/);
      // Room again once drained.
      expect((await postSigned(url, probeMessage('q-later'), SECRET)).status).toBe(200);
    });

    it('hands what does not fit to onOverflow and acknowledges it', async () => {
      const overflowed: AmityDeliveryInfo[] = [];
      const { url, probe, dispatcher } = await boot({
        secrets: SECRET,
        concurrency: 1,
        maxQueueSize: 1,
        onOverflow: (delivery) => overflowed.push(delivery),
      });
      probe.script = () => ({ delayMs: 100 });
      const first = await postSigned(url, probeMessage('o1'), SECRET);
      const second = await postSigned(url, probeMessage('o2'), SECRET);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(overflowed.map((d) => d.event)).toEqual(['message.didCreate']);
      expect((overflowed[0]!.payload as { data: { messages: Array<{ messageId: string }> } }).data.messages[0]!.messageId).toBe('o2');
      await dispatcher.onIdle();
      expect(probe.finished).toEqual(['o1']);
    });
  });

  describe('handler failures', () => {
    it('retries a failing listener with backoff and reports each failure', async () => {
      const { url, probe, dispatcher, logger } = await boot({ secrets: SECRET, retries: 2, retryDelayMs: 20 });
      probe.script = (id) => ({ failTimes: id === 'flaky' ? 2 : id === 'broken' ? 99 : 0 });
      await postSigned(url, probeMessage('flaky'), SECRET);
      await postSigned(url, probeMessage('broken'), SECRET);
      await postSigned(url, probeMessage('fine'), SECRET);
      await dispatcher.onIdle();
      expect(probe.calls.get('flaky')).toBe(3);
      expect(probe.calls.get('broken')).toBe(3);
      expect(probe.calls.get('fine')).toBe(1);
      expect(probe.finished.sort()).toEqual(['fine', 'flaky']);
      const broken = probe.failures.filter((f) => f.error.message.includes('broken'));
      expect(broken.map((f) => [f.attempt, f.willRetry])).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
      expect(broken[0]).toMatchObject({ name: 'amity.message.didCreate', listener: 'ProbeListener.handle', timedOut: false });
      expect(broken[0]!.deliveryId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(logger.text()).toMatch(/ProbeListener\.handle of amity\.message\.didCreate failed on attempt 3 \(delivery [\w-]+\): scripted failure 3 of broken/);
      expect(dispatcher.stats.handlerFailures).toBe(5);
    });

    it('reports a listener that exceeds handlerTimeoutMs, without retrying it', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, handlerTimeoutMs: 50, retries: 2 });
      probe.script = () => ({ delayMs: 300 });
      await postSigned(url, probeMessage('hang'), SECRET);
      await dispatcher.onIdle();
      expect(probe.failures).toEqual([expect.objectContaining({ timedOut: true, willRetry: false, attempt: 1 })]);
      expect(probe.calls.get('hang')).toBe(1);
    });
  });

  describe('ordering', () => {
    it('with ordering: true, dispatches the deliveries of one channel in arrival order', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, concurrency: 8, ordering: true });
      // Earlier messages take longer: without ordering they would finish last.
      probe.script = (id) => ({ delayMs: id.startsWith('a') ? 60 - Number(id.slice(1)) * 10 : 5 });
      for (let i = 0; i < 5; i++) await postSigned(url, probeMessage(`a${i}`, 'channel-a'), SECRET);
      await postSigned(url, probeMessage('b0', 'channel-b'), SECRET);
      await dispatcher.onIdle();
      expect(probe.finished.filter((id) => id.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
      // Another channel is not held back by channel-a.
      expect(probe.finished.indexOf('b0')).toBeLessThan(probe.finished.indexOf('a0'));
    });

    it('without ordering, the same workload finishes out of order (the test above can fail)', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, concurrency: 8 });
      probe.script = (id) => ({ delayMs: 60 - Number(id.slice(1)) * 10 });
      for (let i = 0; i < 5; i++) await postSigned(url, probeMessage(`a${i}`, 'channel-a'), SECRET);
      await dispatcher.onIdle();
      expect(probe.finished).not.toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    });
  });

  describe('idempotency', () => {
    it('answers a duplicate 200 {} without dispatching it again', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET });
      const body = probeMessage('dup');
      const replies = await Promise.all([postSigned(url, body, SECRET), postSigned(url, body, SECRET), postSigned(url, body, SECRET)]);
      expect(replies.map((r) => [r.status, r.body])).toEqual(Array(3).fill([200, '{}']));
      await dispatcher.onIdle();
      expect(probe.calls.get('dup')).toBe(1);
      expect(dispatcher.stats.duplicates).toBe(2);
    });

    it('claims the key only after the signature passed: unsigned copies cannot poison it', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET });
      const body = probeMessage('poison');
      expect((await postSigned(url, body, 'attacker-secret')).status).toBe(401);
      expect((await postSigned(url, body, SECRET)).status).toBe(200);
      await dispatcher.onIdle();
      expect(probe.calls.get('poison')).toBe(1);
    });

    it('in strict mode, claims the key only after validation passed', async () => {
      const { url, dispatcher } = await boot({ secrets: SECRET, strict: true });
      const invalid = JSON.stringify({ event: 'message.didCreate', data: { messages: [{ messageId: 'x' }] } });
      expect((await postSigned(url, invalid, SECRET)).status).toBe(400);
      expect((await postSigned(url, invalid, SECRET)).status).toBe(400);
      expect(dispatcher.stats.duplicates).toBe(0);
    });

    it('uses a key function when given (same message, different bytes)', async () => {
      const { url, probe, dispatcher } = await boot({
        secrets: SECRET,
        idempotency: { key: (d) => (d.data as { messages: Array<{ messageId: string }> }).messages[0]?.messageId },
      });
      await postSigned(url, probeMessage('keyed'), SECRET);
      await postSigned(url, probeMessage('keyed', 'ch-1', { updatedAt: '2026-11-22T00:00:00Z' }), SECRET);
      await dispatcher.onIdle();
      expect(probe.calls.get('keyed')).toBe(1);
    });

    it('can be turned off', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, idempotency: false });
      const body = probeMessage('twice');
      await postSigned(url, body, SECRET);
      await postSigned(url, body, SECRET);
      await dispatcher.onIdle();
      expect(probe.calls.get('twice')).toBe(2);
    });

    it('with the Redis store, two instances dispatch a delivery once between them (real Redis)', async () => {
      const redisUrl = await testRedisUrl();
      const clients = [new Redis(redisUrl), new Redis(redisUrl)];
      try {
        const prefix = `amity-webhook-e2e:${randomUUID()}:`;
        const [one, two] = await Promise.all(
          clients.map((client) => boot({ secrets: SECRET, idempotency: { store: new AmityRedisIdempotencyStore(client, prefix) } })),
        );
        const bodies = Array.from({ length: 20 }, (_, i) => probeMessage(`r${i}`));
        const replies = await Promise.all(bodies.flatMap((body) => [postSigned(one!.url, body, SECRET), postSigned(two!.url, body, SECRET)]));
        expect(replies.every((r) => r.status === 200)).toBe(true);
        await Promise.all([one!.dispatcher.onIdle(), two!.dispatcher.onIdle()]);
        for (let i = 0; i < 20; i++) {
          expect((one!.probe.calls.get(`r${i}`) ?? 0) + (two!.probe.calls.get(`r${i}`) ?? 0)).toBe(1);
        }
        expect(one!.dispatcher.stats.duplicates + two!.dispatcher.stats.duplicates).toBe(20);
        const keys = await clients[0]!.keys(`${prefix}*`);
        expect(keys).toHaveLength(20);
        await clients[0]!.del(...keys);
      } finally {
        clients.forEach((c) => c.disconnect());
      }
    });

    it('dispatches rather than loses the event when the store fails', async () => {
      const { url, probe, dispatcher, logger } = await boot({
        secrets: SECRET,
        idempotency: { store: { claim: () => Promise.reject(new Error('store down')) } },
      });
      expect((await postSigned(url, probeMessage('outage'), SECRET)).status).toBe(200);
      // The same delivery again during the outage: this process's memory still knows it.
      expect((await postSigned(url, probeMessage('outage'), SECRET)).status).toBe(200);
      await dispatcher.onIdle();
      expect(probe.calls.get('outage')).toBe(1);
      expect(dispatcher.stats.duplicates).toBe(1);
      expect(logger.text().match(/Idempotency store failed: store down; claims are answered from this process's memory/g)).toHaveLength(1);
    });
  });

  describe('replay mitigation (maxEventAgeMs)', () => {
    it('refuses a payload whose newest timestamp is too old, accepts fresh and timestamp-less ones', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, maxEventAgeMs: 60_000 });
      const old = new Date(Date.now() - 3_600_000).toISOString();
      const fresh = new Date().toISOString();
      const stale = await postSigned(url, probeMessage('old', 'ch', { createdAt: old, updatedAt: old }), SECRET);
      expect(stale.status).toBe(400);
      expect(JSON.parse(stale.body).message).toMatch(/Stale event/);
      expect((await postSigned(url, probeMessage('fresh', 'ch', { createdAt: old, updatedAt: fresh }), SECRET)).status).toBe(200);
      expect((await postSigned(url, probeMessage('untimed'), SECRET)).status).toBe(200);
      await dispatcher.onIdle();
      expect(probe.finished.sort()).toEqual(['fresh', 'untimed']);
    });
  });

  describe('source allowlist', () => {
    it('answers 403 to a source that is not allowed, before reading the body', async () => {
      const { url, probe, dispatcher } = await boot({ secrets: SECRET, allowedIps: { regions: ['singapore'] } });
      const res = await postSigned(url, probeMessage('blocked'), SECRET);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toBe('Source address not allowed');
      await dispatcher.onIdle();
      expect(probe.calls.size).toBe(0);
    });

    it('does not trust X-Forwarded-For unless the adapter trusts the proxy', async () => {
      const body = probeMessage('forwarded');
      const headers = { 'content-type': 'application/json', 'x-forwarded-for': '52.77.130.167' };
      const untrusting = await boot({ secrets: SECRET, allowedIps: { regions: ['singapore'] } });
      const { signAmityPayload } = await import('../src/index.js');
      const signed = { ...headers, 'x-amity-signature': signAmityPayload(body, SECRET) };
      expect((await rawPost(untrusting.url, '/webhooks/amity', signed, body)).status).toBe(403);
      const trusting = await boot({ secrets: SECRET, allowedIps: { regions: ['singapore'] } }, { trustProxy: '127.0.0.1' });
      expect((await rawPost(trusting.url, '/webhooks/amity', signed, body)).status).toBe(200);
    });

    it('lets allowed addresses and ranges through', async () => {
      const { url } = await boot({ secrets: SECRET, allowedIps: { addresses: ['127.0.0.0/8', '::1'] } });
      expect((await postSigned(url, probeMessage('local'), SECRET)).status).toBe(200);
    });
  });

  describe('graceful shutdown', () => {
    it('finishes accepted deliveries before the app closes', async () => {
      const probeApp = await createProbeApp({ secrets: SECRET });
      probeApp.probe.script = () => ({ delayMs: 200 });
      await postSigned(probeApp.url, probeMessage('in-flight'), SECRET);
      await postSigned(probeApp.url, probeMessage('queued'), SECRET);
      await probeApp.app.close();
      expect(probeApp.probe.finished.sort()).toEqual(['in-flight', 'queued']);
    });

    it('hands back and logs what did not finish within shutdownTimeoutMs', async () => {
      const handedBack: AmityDeliveryInfo[] = [];
      const probeApp = await createProbeApp({
        secrets: SECRET,
        concurrency: 1,
        shutdownTimeoutMs: 50,
        onUnfinished: (deliveries) => void handedBack.push(...deliveries),
      });
      probeApp.probe.script = () => ({ delayMs: 400 });
      await postSigned(probeApp.url, probeMessage('slow-1'), SECRET);
      await postSigned(probeApp.url, probeMessage('slow-2'), SECRET);
      await probeApp.app.close();
      const ids = handedBack.map((d) => (d.payload as { data: { messages: Array<{ messageId: string }> } }).data.messages[0]!.messageId);
      expect(ids.sort()).toEqual(['slow-1', 'slow-2']);
      // The one in flight had its parsed body let go while its listener ran: it is read again, as received.
      for (const delivery of handedBack) {
        const id = (delivery.payload as { data: { messages: Array<{ messageId: string }> } }).data.messages[0]!.messageId;
        expect(delivery.payload).toEqual(JSON.parse(probeMessage(id)));
        expect(delivery.data).toBe((delivery.payload as { data: unknown }).data);
        expect(delivery.event).toBe('message.didCreate');
      }
      expect(probeApp.logger.text()).toMatch(/Shutdown grace of 50 ms elapsed with 2 deliveries unfinished/);
    });

    it('refuses new deliveries with 503 while draining', async () => {
      const probeApp = await createProbeApp({ secrets: SECRET });
      probeApp.probe.script = () => ({ delayMs: 300 });
      await postSigned(probeApp.url, probeMessage('draining'), SECRET);
      const closing = probeApp.app.close();
      await new Promise((r) => setTimeout(r, 50));
      const during = await postSigned(probeApp.url, probeMessage('late'), SECRET).catch((error: Error) => error);
      await closing;
      // Either refused explicitly, or the server had already stopped listening: never accepted and lost.
      if (!(during instanceof Error)) expect(during.status).toBe(503);
      expect(probeApp.probe.calls.has('late')).toBe(false);
      expect(probeApp.probe.finished).toEqual(['draining']);
    });
  });
});
