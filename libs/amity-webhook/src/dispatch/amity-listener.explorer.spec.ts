import { afterEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Scope, type INestApplicationContext } from '@nestjs/common';
import { DiscoveryModule, REQUEST } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { OnAmityEvent } from '../decorators/on-amity-event.decorator.js';
import type { AmityWebhookEvent } from '../interfaces/amity-webhook-event.interface.js';
import { AmityListenerExplorer, amityListenerName } from './amity-listener.explorer.js';

const MESSAGE = 'amity.message.didCreate';

@Injectable()
class OrderedListeners {
  readonly calls: string[] = [];

  @OnAmityEvent('message.didCreate')
  later(_event: AmityWebhookEvent<'message.didCreate'>): string {
    this.calls.push('later');
    return 'sync result';
  }

  @OnAmityEvent('message.didCreate', { prependListener: true })
  first(_event: AmityWebhookEvent<'message.didCreate'>): void {
    this.calls.push('first');
  }

  @OnAmityEvent('message.didUpdate')
  @OnAmityEvent('message.didDelete')
  changed(event: AmityWebhookEvent<'message.didUpdate' | 'message.didDelete'>): void {
    this.calls.push(`changed:${String((event as { marker?: string }).marker)}`);
  }

  /** A plain @OnEvent method is left to @nestjs/event-emitter. */
  @OnEvent(MESSAGE)
  plain(): void {
    this.calls.push('plain');
  }
}

let built = 0;

@Injectable({ scope: Scope.REQUEST })
class ScopedListener {
  readonly serial = ++built;
  static seen: Array<{ serial: number; request: unknown; payload: unknown }> = [];

  constructor(@Inject(REQUEST) private readonly request: unknown) {}

  @OnAmityEvent('user.didCreate')
  async handle(payload: AmityWebhookEvent<'user.didCreate'>): Promise<number> {
    ScopedListener.seen.push({ serial: this.serial, request: this.request, payload });
    return this.serial;
  }
}

async function boot(...providers: Array<new (...args: never[]) => unknown>): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), DiscoveryModule],
    providers: [AmityListenerExplorer, ...providers],
  }).compile();
  const app = moduleRef.createNestApplication();
  await app.init();
  return app;
}

describe('AmityListenerExplorer', () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('registers each @OnAmityEvent method once per event, calls it directly and hands back what it returns', async () => {
    app = await boot(OrderedListeners);
    const emitter = app.get(EventEmitter2);
    const listeners = app.get(OrderedListeners);
    const registered = emitter.listeners(MESSAGE) as Array<(payload: unknown) => unknown>;
    // Ours (first, later) and the plain @OnEvent wrapper of @nestjs/event-emitter, which has no name.
    const names = registered.map((fn) => amityListenerName(fn));
    expect(names.filter((n) => n !== undefined)).toEqual(['OrderedListeners.first', 'OrderedListeners.later']);
    expect(registered).toHaveLength(3);
    // A synchronous handler returns synchronously: no promise in between.
    expect(registered[names.indexOf('OrderedListeners.later')]!({})).toBe('sync result');
    expect(listeners.calls).toEqual(['later']);
  });

  it('orders prepended handlers first and lets one method handle several events', async () => {
    app = await boot(OrderedListeners);
    const emitter = app.get(EventEmitter2);
    const listeners = app.get(OrderedListeners);
    emitter.emit(MESSAGE, {});
    emitter.emit('amity.message.didUpdate', { marker: 'u' });
    emitter.emit('amity.message.didDelete', { marker: 'd' });
    await new Promise((resolve) => setImmediate(resolve));
    // The plain listener's place depends on which module boots first; ours keep theirs.
    expect(listeners.calls.filter((c) => c !== 'plain')).toEqual(['first', 'later', 'changed:u', 'changed:d']);
    expect(listeners.calls.filter((c) => c === 'plain')).toHaveLength(1);
  });

  it('gives a request-scoped listener its own instance per event, with the event as its REQUEST', async () => {
    ScopedListener.seen = [];
    app = await boot(ScopedListener);
    const emitter = app.get(EventEmitter2);
    const [listener] = emitter.listeners('amity.user.didCreate') as Array<(payload: unknown) => Promise<number>>;
    expect(amityListenerName(listener)).toBe('ScopedListener.handle');
    const one = { event: 'user.didCreate', n: 1 };
    const two = { event: 'user.didCreate', n: 2 };
    const serials = await Promise.all([listener!(one), listener!(two)]);
    expect(new Set(serials).size).toBe(2);
    expect(ScopedListener.seen.map((s) => s.payload)).toEqual([one, two]);
    for (const seen of ScopedListener.seen) expect(seen.request).toBe(seen.payload);
  });

  it('removes its listeners when the app shuts down', async () => {
    app = await boot(OrderedListeners);
    const emitter = app.get(EventEmitter2);
    const explorer = app.get(AmityListenerExplorer);
    explorer.onApplicationShutdown();
    expect((emitter.listeners(MESSAGE) as unknown[]).map((fn) => amityListenerName(fn))).toEqual([undefined]);
  });

  it('names only the listeners it registered', () => {
    expect(amityListenerName(() => undefined)).toBeUndefined();
    expect(amityListenerName('OrderedListeners.first')).toBeUndefined();
  });
});
