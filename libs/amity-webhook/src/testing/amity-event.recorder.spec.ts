import { describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AmityWebhookDispatcher } from '../dispatch/amity-webhook.dispatcher.js';
import { createAmityEventRecorder } from './amity-event.recorder.js';

// A real EventEmitter2 and a stand-in dispatcher: the recorder only needs `get` on the app.
function fakeApp() {
  const emitter = new EventEmitter2({ wildcard: true });
  const onIdle = jest.fn(() => Promise.resolve());
  const app = {
    get: (token: unknown) => {
      if (token === EventEmitter2) return emitter;
      if (token === AmityWebhookDispatcher) return { onIdle };
      throw new Error('unexpected token');
    },
  } as unknown as INestApplicationContext;
  return { app, emitter, onIdle };
}

describe('createAmityEventRecorder', () => {
  it("records the library's events in order and nothing else", () => {
    const { app, emitter } = fakeApp();
    const recorder = createAmityEventRecorder(app);
    emitter.emit('amity.message.didCreate', { n: 1 });
    emitter.emit('user.signedUp', { n: 2 });
    emitter.emit('amity-push.post.created', { n: 3 });
    emitter.emit('amity-webhook.invalid', { n: 4 });
    emitter.emit('amityish.thing', { n: 5 });
    expect(recorder.events).toEqual([
      { name: 'amity.message.didCreate', payload: { n: 1 } },
      { name: 'amity-push.post.created', payload: { n: 3 } },
      { name: 'amity-webhook.invalid', payload: { n: 4 } },
    ]);
    expect(recorder.payloads('amity.message.didCreate')).toEqual([{ n: 1 }]);
  });

  it('waitFor resolves at once with what was already recorded, or when the count is reached', async () => {
    const { app, emitter } = fakeApp();
    const recorder = createAmityEventRecorder(app);
    emitter.emit('amity.poll.didVote', 'a');
    await expect(recorder.waitFor('amity.poll.didVote')).resolves.toEqual(['a']);
    const two = recorder.waitFor<string>('amity.poll.didVote', { count: 3 });
    emitter.emit('amity.poll.didVote', 'b');
    emitter.emit('amity.poll.didVote', 'c');
    await expect(two).resolves.toEqual(['a', 'b', 'c']);
  });

  it('waitFor rejects after timeoutMs with what it saw', async () => {
    const { app, emitter } = fakeApp();
    const recorder = createAmityEventRecorder(app);
    emitter.emit('amity.tag.created', {});
    await expect(recorder.waitFor('amity.tag.created', { count: 2, timeoutMs: 20 })).rejects.toThrow(
      '[nestjs-amity-webhook] waited 20 ms for 2 "amity.tag.created" event(s), saw 1',
    );
  });

  it('clear forgets, stop stops recording, drain awaits the dispatcher', async () => {
    const { app, emitter, onIdle } = fakeApp();
    const recorder = createAmityEventRecorder(app);
    emitter.emit('amity.a.b', 1);
    recorder.clear();
    expect(recorder.events).toEqual([]);
    recorder.stop();
    emitter.emit('amity.a.b', 2);
    expect(recorder.events).toEqual([]);
    await recorder.drain();
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});
