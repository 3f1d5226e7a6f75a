import { parseArgs } from 'node:util';
import { AMITY_QUEUE_DEFAULTS } from '../queue/amity-queue.options.js';
import { AmityBullmqAdmin, type AmityDeadLetter } from '../queue/bullmq/amity-bullmq.admin.js';
import { amityErrorMessage } from '../errors/amity-error.message.js';

/** Where the queue commands write and which environment they read; the process's by default. */
export interface AmityQueueCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage:
  amity-webhook queue stats [--json]
  amity-webhook replay --failed [--event E] [--listener L] [--since ISO] [--dry-run] [--json]

Connection (the same settings as the app):
  --redis-url <url>   default: AMITY_WEBHOOK_REDIS_URL
  --prefix <prefix>   default: AMITY_WEBHOOK_QUEUE_PREFIX, else ${AMITY_QUEUE_DEFAULTS.prefix}
`;

/** Redis must answer within this time, or the command fails instead of waiting for it. */
const CONNECT_TIMEOUT_MS = 5_000;

class AmityQueueUsageError extends Error {}

const CONNECTION_OPTIONS = {
  'redis-url': { type: 'string' },
  prefix: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `amity-webhook queue stats` and `amity-webhook replay --failed`, over the durable queue of the
 * app (same Redis URL and prefix). `argv` starts with the command (`['queue', 'stats', ...]` or
 * `['replay', '--failed', ...]`). Resolves with the exit code: 0 done, 1 failed, 2 usage error.
 */
export async function runAmityQueueCommand(argv: string[], io: AmityQueueCliIo = processIo()): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'queue') return await stats(rest, io);
    if (command === 'replay') return await replay(rest, io);
    throw new AmityQueueUsageError(`unknown command "${command ?? ''}"`);
  } catch (error) {
    if (error instanceof AmityQueueUsageError || isParseArgsError(error)) {
      io.stderr(`amity-webhook: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`amity-webhook: ${amityErrorMessage(error)}\n`);
    return 1;
  }
}

async function stats(args: string[], io: AmityQueueCliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: CONNECTION_OPTIONS, allowPositionals: true, strict: true });
  if (values.help) return help(io);
  if (positionals.length !== 1 || positionals[0] !== 'stats') {
    throw new AmityQueueUsageError(`unknown queue command "${positionals.join(' ')}"`);
  }
  return withAdmin(values, io, async (admin, prefix) => {
    const counts = await admin.stats();
    if (values.json) io.stdout(`${JSON.stringify({ prefix, ...counts })}\n`);
    else {
      io.stdout(
        `${prefix}: ${counts.backlog} unfinished (${counts.waiting} waiting, ${counts.active} active, ${counts.delayed} delayed), ` +
          `${counts.failed} dead letters, ${counts.completed} recently completed\n`,
      );
    }
    return 0;
  });
}

async function replay(args: string[], io: AmityQueueCliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...CONNECTION_OPTIONS,
      failed: { type: 'boolean' },
      event: { type: 'string' },
      listener: { type: 'string' },
      since: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return help(io);
  // Only dead letters can be replayed today; the flag keeps room for other sources.
  if (!values.failed) throw new AmityQueueUsageError('replay needs --failed (re-run the dead-lettered deliveries)');
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime())) throw new AmityQueueUsageError(`--since must be an ISO date or time (got "${values.since}")`);
  }
  const filter = { event: values.event, listener: values.listener, since, dryRun: values['dry-run'] === true };
  return withAdmin(values, io, async (admin) => {
    const result = await admin.replayFailed(filter);
    if (values.json) {
      io.stdout(`${JSON.stringify({ dryRun: filter.dryRun, replayed: result.replayed, matched: result.matched })}\n`);
      return 0;
    }
    for (const letter of result.matched) io.stdout(`${describeLetter(letter)}\n`);
    io.stdout(
      filter.dryRun
        ? `${result.matched.length} dead ${plural(result.matched.length, 'letter')} would be replayed (dry run)\n`
        : `${result.replayed} of ${result.matched.length} dead ${plural(result.matched.length, 'letter')} replayed\n`,
    );
    return 0;
  });
}

async function withAdmin(
  values: { 'redis-url'?: string; prefix?: string },
  io: AmityQueueCliIo,
  use: (admin: AmityBullmqAdmin, prefix: string) => Promise<number>,
): Promise<number> {
  const url = values['redis-url'] ?? io.env['AMITY_WEBHOOK_REDIS_URL'];
  if (!url) throw new AmityQueueUsageError('no Redis: pass --redis-url <url> or set AMITY_WEBHOOK_REDIS_URL');
  if (!/^rediss?:\/\//.test(url)) throw new AmityQueueUsageError('--redis-url must be a redis:// or rediss:// URL');
  const prefix = values.prefix ?? io.env['AMITY_WEBHOOK_QUEUE_PREFIX'] ?? AMITY_QUEUE_DEFAULTS.prefix;
  const admin = await AmityBullmqAdmin.connect({ connection: url, prefix, timeoutMs: CONNECT_TIMEOUT_MS }).catch((error: unknown) => {
    throw new Error(`Redis at ${redact(url)}: ${amityErrorMessage(error)}`);
  });
  try {
    return await use(admin, prefix);
  } finally {
    await admin.close();
  }
}

function help(io: AmityQueueCliIo): number {
  io.stdout(USAGE);
  return 0;
}

function describeLetter(letter: AmityDeadLetter): string {
  const what = letter.kind === 'listener' ? `${letter.event} -> ${letter.listener}` : 'delivery (not fanned out)';
  return `${letter.receivedAt.toISOString()}  ${what}  delivery ${letter.deliveryId}  after ${letter.attemptsMade} attempts: ${letter.reason}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function processIo(): AmityQueueCliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
  };
}
