import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type {
  AmityDeliveryProcessor,
  AmityListenerRef,
  AmityPreparedDelivery,
  AmityQueuedDelivery,
} from '../../src/queue/amity-delivery.queue.js';
import { resolveAmityQueueOptions, type AmityQueueOptions, type ResolvedAmityQueueOptions } from '../../src/queue/amity-queue.options.js';
import type { AmityQueueLogger } from '../../src/queue/bullmq/amity-bullmq.queue.js';

/** A signed-looking delivery: the id is the SHA-256 of the body, as the receiver makes it. */
export function delivery(event = 'message.didCreate', n = 0, extra: Buffer = Buffer.alloc(0)): AmityQueuedDelivery {
  const body = Buffer.concat([Buffer.from(JSON.stringify({ event, data: { n } })), extra]);
  return {
    id: createHash('sha256').update(body).digest('base64url'),
    body,
    receivedAt: new Date(),
    webhook: { index: 0, label: 'webhook-0' },
  };
}

/** A prefix of its own per test, so that tests sharing a Redis never see each other's jobs. */
export function uniquePrefix(): string {
  return `amity-test-${randomUUID().slice(0, 8)}`;
}

/** Resolved queue options for a test: fast stall detection, no spool unless asked. */
export function queueOptions(connection: string, overrides: Partial<AmityQueueOptions> = {}): ResolvedAmityQueueOptions {
  return resolveAmityQueueOptions(
    { connection, prefix: uniquePrefix(), spoolDir: false, lockDurationMs: 1_000, stalledIntervalMs: 500, ...overrides },
    { concurrency: 8 },
  )!;
}

/** Deletes every key of a prefix. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** One recorded listener call. */
export interface FakeCall {
  readonly deliveryId: string;
  readonly event: string;
  readonly listener: string;
  readonly attempt: number;
  readonly willRetry: boolean;
  readonly at: number;
}

type Behaviour = (call: FakeCall) => void | Promise<void>;

/**
 * Stands for the module's `AmityDeliveryWorker`: `prepare` reads the event name from the body and
 * lists `listeners`; `invoke` records the call and runs the listener's behaviour (resolve by
 * default; throw to fail; never settle to hang).
 */
export class FakeProcessor implements AmityDeliveryProcessor {
  readonly calls: FakeCall[] = [];
  readonly prepared: string[] = [];
  /** Deliveries handed out to their listeners (once each, when fanned out). */
  readonly handed: string[] = [];
  private readonly behaviours = new Map<string, Behaviour>();

  constructor(readonly listeners: readonly string[] = ['A.one', 'B.two']) {}

  /** Sets what a listener does from now on. */
  on(listener: string, behaviour: Behaviour): this {
    this.behaviours.set(listener, behaviour);
    return this;
  }

  prepare(delivery: AmityQueuedDelivery): AmityPreparedDelivery {
    this.prepared.push(delivery.id);
    const { event } = JSON.parse(delivery.body.toString('utf8')) as { event: string };
    return { delivery, event, name: `amity.${event}`, payload: { event }, listeners: this.listeners.map((key): AmityListenerRef => ({ key })) };
  }

  handedOut(prepared: AmityPreparedDelivery): void {
    this.handed.push(prepared.delivery.id);
  }

  calledOnce(prepared: AmityPreparedDelivery): void {
    this.handedOut(prepared);
  }

  async invoke(prepared: AmityPreparedDelivery, listener: AmityListenerRef, attempt: number, willRetry: boolean): Promise<void> {
    const call = { deliveryId: prepared.delivery.id, event: prepared.name, listener: listener.key, attempt, willRetry, at: Date.now() };
    this.calls.push(call);
    await this.behaviours.get(listener.key)?.(call);
  }

  dispatch(): Promise<void> {
    throw new Error('a durable queue calls invoke per listener, never dispatch');
  }

  /** Calls of one listener, optionally for one delivery. */
  callsOf(listener: string, deliveryId?: string): FakeCall[] {
    return this.calls.filter((c) => c.listener === listener && (deliveryId === undefined || c.deliveryId === deliveryId));
  }
}

/** A logger that keeps what it is told. */
export function recordingLogger(): AmityQueueLogger & { lines: Array<[level: string, message: string]> } {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    log: (message: unknown) => void lines.push(['log', String(message)]),
    warn: (message: unknown) => void lines.push(['warn', String(message)]),
    error: (message: unknown) => void lines.push(['error', String(message)]),
  };
}

/** Polls `condition` every 25 ms until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const RETRY = { retries: 2, retryDelayMs: 50 } as const;
