import { describe, expect, it } from '@jest/globals';
import { Injectable, Module, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AmityWebhookModule, OnAmityEvent, type AmityWebhookEvent } from '../src/index.js';
import { postSigned } from './fixture/http.js';
import { probeMessage } from './fixture/probe.app.js';

const SECRET = 'shutdown-secret';

/** A resource the listener needs (a pool, a client), closed in one of Nest's teardown hooks. */
@Injectable()
class Resource implements OnModuleDestroy, OnApplicationShutdown {
  static closeIn: 'onModuleDestroy' | 'onApplicationShutdown' = 'onModuleDestroy';
  open = true;
  onModuleDestroy(): void {
    if (Resource.closeIn === 'onModuleDestroy') this.open = false;
  }
  onApplicationShutdown(): void {
    if (Resource.closeIn === 'onApplicationShutdown') this.open = false;
  }
}

@Module({ providers: [Resource], exports: [Resource] })
class ResourceModule {}

@Injectable()
class SlowListener {
  readonly done: string[] = [];
  readonly failed: string[] = [];
  constructor(private readonly resource: Resource) {}

  @OnAmityEvent('message.didCreate')
  async handle(event: AmityWebhookEvent<'message.didCreate'>): Promise<void> {
    await new Promise((r) => setTimeout(r, 150));
    const id = event.data.messages[0]!.messageId;
    if (this.resource.open) this.done.push(id);
    else this.failed.push(id);
  }
}

async function run(imports: 'resource-first' | 'webhooks-first'): Promise<{ listener: SlowListener; refused: number }> {
  const webhooks = AmityWebhookModule.forRoot({ secrets: SECRET, retries: 0 });
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), ...(imports === 'resource-first' ? [ResourceModule, webhooks] : [webhooks, ResourceModule])],
    providers: [SlowListener],
  })
  class HostModule {}
  const app = await NestFactory.create(HostModule, new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const listener = app.get(SlowListener);
  for (let i = 0; i < 10; i++) expect((await postSigned(url, probeMessage(`s${i}`), SECRET)).status).toBe(200);
  const closing = app.close();
  // While the module drains, the route still answers, with 503.
  const during = await postSigned(url, probeMessage('late'), SECRET).catch(() => ({ status: 0 }));
  await closing;
  return { listener, refused: during.status };
}

describe('shutdown (real HTTP)', () => {
  it('drains accepted deliveries before a resource closed by onModuleDestroy of a module imported before it, and refuses new ones with 503', async () => {
    Resource.closeIn = 'onModuleDestroy';
    const { listener, refused } = await run('resource-first');
    expect(listener.done).toHaveLength(10);
    expect(listener.failed).toHaveLength(0);
    expect(refused).toBe(503);
  });

  it('drains before any resource closed in onApplicationShutdown, whatever the import order', async () => {
    Resource.closeIn = 'onApplicationShutdown';
    const { listener } = await run('webhooks-first');
    expect(listener.done).toHaveLength(10);
    expect(listener.failed).toHaveLength(0);
  });
});
