import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AMITY_BULLMQ_QUEUE_NAME } from 'nestjs-amity-webhook';
import { durableModeFromConfig } from '../config/durable-mode.config.js';
import { ADMIN_AUTH_CHALLENGE } from './admin-access.config.js';
import { AdminAccessGuard } from './admin-access.guard.js';
import { BullBoardFastifyServer } from './bull-board.server.js';

/** Where Bull Board is served, in durable mode. */
export const BULL_BOARD_ROUTE = '/admin/queues';

/** How long closing the board's queue may wait for Redis before its connection is dropped instead. */
const CLOSE_PATIENCE_MS = 1_000;

/**
 * Bull Board (`@bull-board/api`, served by {@link BullBoardFastifyServer}) at `/admin/queues`, in durable mode only:
 * a view of the module's `deliveries` queue through a BullMQ `Queue` of its own (same Redis, same
 * prefix), closed when the app closes. Every route of the board, its API and its static files,
 * sits behind the dashboard's `AdminAccessGuard` rules, answered alike (`401` with the challenge,
 * `403`, `404`). Not mounted at all in memory mode, in a worker-only process (no HTTP), or where
 * the admin pages are off (`NODE_ENV=production` without credentials): those requests get the
 * app's ordinary `404`.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('BullBoard');
  private queue: Queue | undefined;

  constructor(
    private readonly config: ConfigService,
    private readonly guard: AdminAccessGuard,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Runs before the server starts listening, while Fastify still takes plugins. */
  async onModuleInit(): Promise<void> {
    const { role, queue: options } = durableModeFromConfig(this.config);
    if (options === undefined || role === 'worker' || this.guard.access.mode === 'off') return;
    const httpAdapter = this.adapterHost.httpAdapter;
    if (httpAdapter === null || httpAdapter === undefined || httpAdapter.getType() !== 'fastify') {
      throw new Error(`Bull Board at ${BULL_BOARD_ROUTE} needs the Fastify adapter`);
    }
    // Loaded in durable mode only, as the library loads bullmq.
    const [{ Queue }, { createBullBoard }, { BullMQAdapter }] = await Promise.all([
      import('bullmq'),
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
    ]);
    const connection = typeof options.connection === 'string' ? { url: options.connection } : options.connection;
    const queue = new Queue(AMITY_BULLMQ_QUEUE_NAME, {
      // A page that Redis cannot serve fails at once rather than wait for it to come back.
      connection: { ...connection, enableOfflineQueue: false },
      prefix: options.prefix,
      // The module's own queue keeps the queue's metadata; the board only looks and acts on jobs.
      skipMetasUpdate: true,
    });
    // Redis outages are reported by the module's queue; unhandled, this one's 'error' would throw.
    queue.on('error', () => undefined);
    this.queue = queue;

    const server = new BullBoardFastifyServer(BULL_BOARD_ROUTE);
    createBullBoard({
      queues: [new BullMQAdapter(queue, { description: 'Deliveries of nestjs-amity-webhook (durable mode)' })],
      serverAdapter: server,
      options: { uiConfig: { boardTitle: 'social.plus webhooks', miscLinks: [{ text: 'Dashboard', url: '/' }] } },
    });
    const guard = this.guard;
    // One scope for the board: its hook runs before every route registered inside it, whatever
    // the path (page, /api/*, /static/*), so no route of the board escapes the access rules.
    await httpAdapter.getInstance<FastifyInstance>().register(
      async (scope) => {
        scope.addHook('onRequest', async (request, reply) => {
          const refusal = guard.refusalFor({ headers: request.headers, socket: request.raw.socket });
          if (refusal === undefined) return;
          if (refusal.getStatus() === 401) void reply.header('WWW-Authenticate', ADMIN_AUTH_CHALLENGE);
          // The body Nest's exception filter gives the dashboard's refusals.
          return reply.code(refusal.getStatus()).send(refusal.getResponse());
        });
        server.register(scope);
      },
      { prefix: BULL_BOARD_ROUTE },
    );
    this.logger.log(`Bull Board at ${BULL_BOARD_ROUTE} (queue "${AMITY_BULLMQ_QUEUE_NAME}", prefix "${options.prefix ?? ''}")`);
  }

  async onApplicationShutdown(): Promise<void> {
    const queue = this.queue;
    this.queue = undefined;
    if (queue === undefined) return;
    // A stopped Redis cannot take QUIT, and BullMQ's disconnect waits for a connection that will
    // not come: each step gets a bounded wait, so the board never holds the shutdown.
    if (!(await settlesWithin(queue.close(), CLOSE_PATIENCE_MS))) await settlesWithin(queue.disconnect(), CLOSE_PATIENCE_MS);
  }
}

/** Whether `promise` fulfilled within `ms` (a rejection or no answer in time is `false`). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
