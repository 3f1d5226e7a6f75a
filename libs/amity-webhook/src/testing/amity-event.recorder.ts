import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AmityWebhookDispatcher } from '../dispatch/amity-webhook.dispatcher.js';

/** An event the recorder saw: its name on the bus and its payload. */
export interface AmityRecordedEvent<P = unknown> {
  readonly name: string;
  readonly payload: P;
}

/** Records what the library emits in a test, and waits for it. */
export interface AmityEventRecorder {
  /** Everything recorded so far, in order. */
  readonly events: readonly AmityRecordedEvent[];
  /** Payloads recorded under `name` (e.g. `amity.message.didCreate`, `amity-webhook.invalid`). */
  payloads<P = unknown>(name: string): P[];
  /** Resolves once `count` events named `name` were recorded (default 1), or rejects after `timeoutMs` (default 2000). */
  waitFor<P = unknown>(name: string, options?: { count?: number; timeoutMs?: number }): Promise<P[]>;
  /** Resolves when every accepted delivery has been dispatched. */
  drain(): Promise<void>;
  /** Forgets what was recorded. */
  clear(): void;
  /** Stops recording. */
  stop(): void;
}

/**
 * Starts recording every event the library emits in `app` (`amity.*`, `amity-push.*`,
 * `amity-webhook.*`). Needs the app's `EventEmitter2`.
 */
export function createAmityEventRecorder(app: INestApplication | INestApplicationContext): AmityEventRecorder {
  const emitter = app.get(EventEmitter2);
  const dispatcher = app.get(AmityWebhookDispatcher);
  const events: AmityRecordedEvent[] = [];
  const waiters = new Set<() => void>();
  const listener = (name: string | string[], payload: unknown): void => {
    const key = Array.isArray(name) ? name.join('.') : name;
    if (!/^amity(-push|-webhook)?\./.test(key)) return;
    events.push({ name: key, payload });
    for (const check of waiters) check();
  };
  emitter.onAny(listener);
  const payloads = <P>(name: string): P[] => events.filter((e) => e.name === name).map((e) => e.payload as P);
  return {
    events,
    payloads,
    waitFor<P>(name: string, { count = 1, timeoutMs = 2000 } = {}): Promise<P[]> {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const seen = payloads<P>(name);
          if (seen.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(seen);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`[nestjs-amity-webhook] waited ${timeoutMs} ms for ${count} "${name}" event(s), saw ${payloads(name).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    drain: () => dispatcher.onIdle(),
    clear: () => void (events.length = 0),
    stop: () => void emitter.offAny(listener),
  };
}
