import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ContextIdFactory, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { AMITY_LISTENER_METADATA, AMITY_LISTENER_NAME } from '../amity-webhook.constants.js';
import type { AmityListenerMetadata } from '../decorators/on-amity-event.decorator.js';

type Listener = (payload: unknown) => unknown;

/** The `Class.method` name the library gave a listener it registered, if it registered it. */
export function amityListenerName(listener: unknown): string | undefined {
  const name = typeof listener === 'function' ? (listener as unknown as Record<symbol, unknown>)[AMITY_LISTENER_NAME] : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Finds the `@OnAmityEvent` methods of every provider and controller when the app boots and
 * registers each on the host's `EventEmitter2` as a plain listener that calls the method
 * directly: what the method returns (a value, or a promise) goes straight to the dispatcher,
 * with no wrapper in between. Request-scoped and transient providers get an instance per event,
 * resolved in a context of its own (the event is that context's request). The listeners are
 * removed when the app shuts down.
 */
@Injectable()
export class AmityListenerExplorer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AmityWebhook');
  private readonly registered: Array<{ event: string; listener: Listener }> = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    // Optional here: without it the dispatcher fails the boot with the actionable message.
    @Optional() @Inject(EventEmitter2) private readonly emitter: EventEmitter2 | undefined,
  ) {}

  onApplicationBootstrap(): void {
    const emitter = this.emitter;
    if (!emitter) return;
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const seen = new Set<object>();
    for (const wrapper of wrappers) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      // The same class can be registered under several tokens (useExisting aside): once per instance.
      if (!prototype || seen.has(instance)) continue;
      seen.add(instance);
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[key];
        if (typeof method !== 'function') continue;
        const entries = Reflect.getMetadata(AMITY_LISTENER_METADATA, method) as AmityListenerMetadata[] | undefined;
        if (!entries) continue;
        const name = `${instance.constructor.name}.${key}`;
        const listener = wrapper.isDependencyTreeStatic() ? this.direct(instance, key) : this.scoped(wrapper, key);
        Object.defineProperty(listener, AMITY_LISTENER_NAME, { value: name });
        for (const { event, options } of entries) {
          if (options.prependListener) emitter.prependListener(event, listener);
          else emitter.on(event, listener);
          this.registered.push({ event, listener });
        }
      }
    }
    this.logger.debug(`Registered ${this.registered.length} @OnAmityEvent listener(s)`);
  }

  onApplicationShutdown(): void {
    for (const { event, listener } of this.registered.splice(0)) this.emitter?.off(event, listener);
  }

  private direct(instance: object, key: string): Listener {
    const target = instance as Record<string, (payload: unknown) => unknown>;
    return (payload) => target[key]!(payload);
  }

  /** One instance per event, as `@nestjs/event-emitter` does for request-scoped listeners. */
  private scoped(wrapper: InstanceWrapper, key: string): Listener {
    const token = wrapper.token;
    return async (payload) => {
      const contextId = ContextIdFactory.create();
      this.moduleRef.registerRequestByContextId(payload, contextId);
      const instance = await this.moduleRef.resolve<Record<string, (payload: unknown) => unknown>>(token as never, contextId, { strict: false });
      return instance[key]!(payload);
    };
  }
}
