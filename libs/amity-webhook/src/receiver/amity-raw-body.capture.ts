import { HttpException, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Subscription } from 'rxjs';
import { AMITY_JSON_MEDIA_TYPE, AMITY_WEBHOOK_PATH, AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { AmityGuardedRequest } from '../guard/amity-webhook.guard.js';
import { AmityWebhookRejections } from '../logging/amity-webhook.rejections.js';
import { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { AmityBodyBudget, AmityBodyReadError, readAmityBody, type AmityBodyReadLimits } from './amity-body.reader.js';

/** The part of a Fastify instance the capture uses (public API: `addHook('onRoute')`). */
interface FastifyLike {
  addHook(name: 'onRoute', hook: (route: FastifyRouteLike) => void): unknown;
}
interface FastifyRouteLike {
  method: string | string[];
  url: string;
  bodyLimit?: number;
  preParsing?: FastifyPreParsing | FastifyPreParsing[];
}
type FastifyPreParsing = (request: AmityGuardedRequest, reply: { header(name: string, value: string): unknown; raw: ServerResponse }, payload: Readable) => Promise<Readable>;

/** The part of an Express app the capture uses (public API: `use`). */
interface ExpressLike {
  use(handler: (req: IncomingMessage & AmityGuardedRequest & { path: string }, res: ServerResponse, next: () => void) => void): unknown;
}

/**
 * Keeps the exact bytes of each request to the webhook route as `request.rawBody`, on that route
 * only, through the adapters' public extension points, so the host needs no `rawBody: true`:
 *
 * - Fastify: an `onRoute` hook gives the webhook route a `preParsing` hook (and its body limit);
 *   the bytes then go on to the host's JSON parser unchanged.
 * - Express: a middleware, registered before Nest adds its body parsers, reads the body of
 *   `POST` requests to the route; Express's JSON parser then finds the body read and skips it.
 *
 * Reading is bounded: `bodyLimit` bytes (`413`), a read deadline (`408`) and a budget of bytes
 * held before verification across all requests (`503`); the connection of a refused request is closed.
 * The capture is installed as soon as Nest has its HTTP adapter (`HttpAdapterHost.init$`), which is
 * before routes and parsers are registered, in `NestFactory.create` and `Test...createNestApplication` alike.
 */
@Injectable()
export class AmityRawBodyCapture implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AmityWebhook');
  private readonly subscription: Subscription;
  private readonly suffix: string;
  private readonly budget: AmityBodyBudget;
  private adapter: string | undefined;
  /** Why this app cannot receive webhooks, found while installing; reported at bootstrap. */
  private problem: string | undefined;
  private routes = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(AMITY_WEBHOOK_PATH) path: string,
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    private readonly rejections: AmityWebhookRejections,
    private readonly stats: AmityWebhookStats,
  ) {
    this.suffix = `/${path}`.toLowerCase();
    this.budget = new AmityBodyBudget(options.maxBufferedBytes);
    this.subscription = adapterHost.init$.subscribe(() => this.install());
  }

  /** Fails the boot, saying what to change, when the route cannot get its raw bytes in this app. */
  onApplicationBootstrap(): void {
    if (this.problem !== undefined) throw new AmityWebhookConfigError(this.problem);
    if (this.adapter === undefined) {
      // A worker-only process of durable mode receives nothing: an application context will do.
      if (this.options.queue?.worker) {
        this.logger.log('No HTTP adapter: this process only processes queued webhook deliveries');
        return;
      }
      throw new AmityWebhookConfigError(
        'no HTTP adapter found: receiving webhooks needs an HTTP application (NestFactory.create). A worker-only process of durable mode may be an application context: give it queue: { ..., worker: true }.',
      );
    }
    if (this.adapter === 'fastify' && this.routes === 0) {
      throw new AmityWebhookConfigError(
        `the webhook route was registered on Fastify before the module could read its raw bytes; register AmityWebhookModule in the application's module tree before the app is initialised.`,
      );
    }
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  /** Whether a route or request path is the webhook route (the global prefix and version segments come before it). */
  private matches(url: string): boolean {
    let path = url.toLowerCase();
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return path === this.suffix || path.endsWith(this.suffix);
  }

  /** Runs inside an RxJS subscriber: a problem is kept for onApplicationBootstrap to report, never thrown here. */
  private install(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | null | undefined;
    // An application context (no HTTP server) also announces itself, without an adapter.
    if (adapter === null || adapter === undefined) return;
    const type = adapter.getType();
    this.adapter = type;
    if (type === 'fastify') this.installOnFastify(adapter.getInstance<FastifyLike>());
    else if (type === 'express') this.installOnExpress(adapter.getInstance<ExpressLike>());
    else {
      this.problem = `the "${type}" HTTP adapter is not supported: the module reads the raw request bytes on Fastify (@nestjs/platform-fastify) or Express (@nestjs/platform-express).`;
    }
  }

  private installOnFastify(instance: FastifyLike): void {
    const capture: FastifyPreParsing = async (request, reply, payload) => {
      this.watch(request, reply.raw);
      let raw: Buffer;
      try {
        raw = await readAmityBody(payload, this.limits());
      } catch (error) {
        // Connection: close makes Node drop the socket once the answer is written.
        reply.header('connection', 'close');
        throw this.httpError(error);
      }
      request.rawBody = raw;
      // The bytes go on to the parser as a stream that already holds them (cheaper than `Readable.from`,
      // which iterates); Fastify checks Content-Length against what the stream says it received.
      const replay = new Readable({ read() {} }) as Readable & { receivedEncodedLength?: number };
      if (raw.length > 0) replay.push(raw);
      replay.push(null);
      replay.receivedEncodedLength = raw.length;
      return replay;
    };
    instance.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes('POST') || !this.matches(route.url)) return;
      this.routes++;
      route.bodyLimit = this.options.bodyLimit;
      route.preParsing = [...(route.preParsing === undefined ? [] : Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing]), capture];
    });
  }

  private installOnExpress(app: ExpressLike): void {
    app.use((req, res, next) => {
      if (req.method !== 'POST' || !this.matches(req.path)) return next();
      const type = req.headers['content-type'];
      if (type === undefined || !AMITY_JSON_MEDIA_TYPE.test(type)) return next();
      this.watch(req, res);
      // Express hands over the undecoded stream: a declared length over the limit is refused unread.
      const declared = Number(req.headers['content-length']);
      void this.readInto(req, res, next, Number.isFinite(declared) ? declared : undefined);
    });
  }

  /** Reports the request to the observers once its answer is written. */
  private watch(request: AmityGuardedRequest, response: ServerResponse): void {
    const startedAt = Date.now();
    const started = performance.now();
    response.once('finish', () => {
      const status = response.statusCode;
      this.stats.requestAnswered({
        outcome: request.amityOutcome ?? (status >= 500 ? 'refused' : status >= 400 ? 'rejected' : 'accepted'),
        status,
        durationSeconds: (performance.now() - started) / 1000,
        startedAt,
        deliveryId: request.amityDelivery?.id,
        event: request.amityDelivery?.event,
      });
    });
  }

  private async readInto(req: IncomingMessage & { rawBody?: Buffer }, res: ServerResponse, next: () => void, declaredLength: number | undefined): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readAmityBody(req, { ...this.limits(), declaredLength });
    } catch (error) {
      this.refuse(req, res, error);
      return;
    }
    req.rawBody = raw;
    next();
  }

  private limits(): AmityBodyReadLimits {
    return { bodyLimit: this.options.bodyLimit, deadlineMs: this.options.bodyTimeoutMs, budget: this.budget };
  }

  private httpError(error: unknown): HttpException {
    const status = error instanceof AmityBodyReadError ? error.status : 400;
    this.rejections.record(`${status} body ${error instanceof AmityBodyReadError ? error.reason : 'unreadable'}`);
    return new HttpException(error instanceof Error ? error.message : 'Malformed request', status);
  }

  /** Answers a body that could not be read within the limits, and closes the connection. */
  private refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const failure = this.httpError(error);
    if (res.headersSent) {
      req.destroy();
      return;
    }
    res.statusCode = failure.getStatus();
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('connection', 'close');
    res.end(JSON.stringify({ statusCode: failure.getStatus(), message: failure.message }));
  }
}
