import { runAmityEventsCommand } from './amity-events.command.js';
import { AmityCliUsageError, processAmityCliIo, type AmityCliIo } from './amity-cli.io.js';
import { runAmitySendCommand } from './amity-send.command.js';
import { runAmitySignCommand } from './amity-sign.command.js';

export { AmityCliUsageError, processAmityCliIo, type AmityCliIo } from './amity-cli.io.js';

/** `amity-webhook --help`. */
export const AMITY_CLI_USAGE = `Usage: amity-webhook <command> [options]

Sign and send social.plus (Amity) webhooks, and list the events nestjs-amity-webhook knows.

Commands:
  send [event]   sign a sample payload of <event> (or --data <file>) and POST it like social.plus does
  sign [file]    print the x-amity-signature of a file, or of standard input
  events         list every event the library knows
  queue ...      inspect the durable delivery queue (durable mode)
  replay ...     replay failed deliveries of the durable queue (durable mode)

Run "amity-webhook <command> --help" for the options of a command.
`;

type Command = (argv: readonly string[], io: AmityCliIo) => number | Promise<number>;

/**
 * `queue ...` and `replay ...` belong to the durable mode, on BullMQ (an optional peer): its
 * command is loaded only when asked for, so that the other commands work without bullmq installed.
 */
function queueCommand(name: 'queue' | 'replay'): Command {
  return async (argv, io) => {
    let command: typeof import('./amity-queue.cli.js');
    try {
      command = await import('./amity-queue.cli.js');
    } catch (error) {
      const missingBullmq = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes("'bullmq'");
      if (!missingBullmq) throw error;
      throw new AmityCliUsageError(`"${name}" works on the durable queue, which needs the bullmq package: npm install bullmq`);
    }
    return command.runAmityQueueCommand([name, ...argv], io);
  };
}

const COMMANDS: Readonly<Record<string, Command>> = {
  send: runAmitySendCommand,
  sign: runAmitySignCommand,
  events: runAmityEventsCommand,
  queue: queueCommand('queue'),
  replay: queueCommand('replay'),
};

/**
 * Node's parseArgs reports usage problems as errors with an `ERR_PARSE_ARGS_*` code (TypeErrors,
 * but of Node's own realm, which `instanceof` misses under a test runner's VM context).
 */
function isParseArgsError(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');
}

/**
 * Runs the `amity-webhook` CLI with `argv` (without the node and script entries).
 * @returns the exit code: 0 ok, 1 the request failed or was refused, 2 a usage error
 */
export async function runAmityCli(argv: readonly string[], io: AmityCliIo = processAmityCliIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(AMITY_CLI_USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new AmityCliUsageError(`unknown command "${name}"; run "amity-webhook --help"`);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof AmityCliUsageError || isParseArgsError(error)) {
      io.stderr(`amity-webhook: ${error.message}\n`);
      return 2;
    }
    io.stderr(`amity-webhook: ${(error as Error).message}\n`);
    return 1;
  }
}
