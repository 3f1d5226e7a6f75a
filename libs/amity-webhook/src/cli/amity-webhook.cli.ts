import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { AMITY_SIGNATURE_HEADER } from '../amity-webhook.constants.js';
import { AMITY_EVENT_REGISTRY, AMITY_WEBHOOK_EVENT_NAMES, isAmityWebhookEventName } from '../events/amity-event.registry.js';
import { signAmityPayload } from '../signature/amity-signature.js';

/** Where the CLI reads and writes; injectable so it can be tested in-process. */
export interface AmityCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
  env: Record<string, string | undefined>;
  /** Builds the body `send` posts for a known event when no `--data` is given. */
  fixture?: (event: string) => unknown;
}

/** Thrown for a usage problem: printed without a stack, exit code 2. */
class AmityCliUsageError extends Error {}

const DEFAULT_URL = 'http://localhost:3000/webhooks/amity';

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The default I/O: the process's streams and environment. */
export function processAmityCliIo(): AmityCliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readStream(process.stdin),
    env: process.env,
  };
}

function secretFrom(option: string | undefined, io: AmityCliIo): string {
  const secret = option ?? io.env['AMITY_WEBHOOK_SECRET'] ?? io.env['AMITY_WEBHOOK_SECRETS']?.split(',')[0]?.trim();
  if (!secret) throw new AmityCliUsageError('a secret is required: pass --secret <secret> or set AMITY_WEBHOOK_SECRET');
  return secret;
}

/** The exact bytes `send` posts: the file as is when it is a whole envelope, else `{event, data}`. */
async function bodyFor(event: string, dataFile: string | undefined, io: AmityCliIo): Promise<Buffer> {
  if (dataFile !== undefined) {
    const raw = await readFile(dataFile).catch((error: NodeJS.ErrnoException) => {
      throw new AmityCliUsageError(`cannot read ${dataFile}: ${error.code ?? error.message}`);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AmityCliUsageError(`${dataFile} is not valid JSON`);
    }
    const isEnvelope = parsed !== null && typeof parsed === 'object' && 'event' in parsed;
    return isEnvelope ? raw : Buffer.from(JSON.stringify({ event, data: parsed }));
  }
  if (!isAmityWebhookEventName(event)) {
    const near = AMITY_WEBHOOK_EVENT_NAMES.filter((name) => name.toLowerCase().includes(event.split('.').pop()!.toLowerCase())).slice(0, 5);
    throw new AmityCliUsageError(
      `unknown event "${event}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; run "amity-webhook events", or pass --data <file>`,
    );
  }
  if (!io.fixture) throw new AmityCliUsageError(`no sample payload available for ${event}; pass --data <file>`);
  return Buffer.from(JSON.stringify(io.fixture(event)));
}

function buildProgram(io: AmityCliIo, result: { code: number }): Command {
  const program = new Command('amity-webhook')
    .description('Sign and send social.plus (Amity) webhooks, and list the events nestjs-amity-webhook knows.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command('send')
    .description('sign a sample payload of <event> (or --data <file>) and POST it like social.plus does')
    .argument('<event>', 'wire event name, e.g. message.didCreate')
    .option('-u, --url <url>', 'receiver URL', DEFAULT_URL)
    .option('-s, --secret <secret>', 'webhook secret (default: $AMITY_WEBHOOK_SECRET)')
    .option('-d, --data <file>', 'JSON file: a whole {event, data} envelope (sent byte for byte) or just the data')
    .option('--legacy', 'send as the legacy duplicate (x-eko-signature only)')
    .action(async (event: string, options: { url: string; secret?: string; data?: string; legacy?: boolean }) => {
      const secret = secretFrom(options.secret, io);
      const body = await bodyFor(event, options.data, io);
      let url: URL;
      try {
        url = new URL(options.url);
      } catch {
        throw new AmityCliUsageError(`--url is not a URL: ${options.url}`);
      }
      const signature = signAmityPayload(body, secret);
      const header = options.legacy ? 'x-eko-signature' : AMITY_SIGNATURE_HEADER;
      const started = performance.now();
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [header]: signature }, body });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new Error(`could not reach ${url.href} (${cause})`, { cause: error });
      }
      const text = await response.text();
      const ms = (performance.now() - started).toFixed(1);
      io.stdout(`${response.status} ${text} in ${ms} ms (${body.length} bytes, ${event})\n`);
      if (!response.ok) result.code = 1;
    });

  program
    .command('sign')
    .description('print Base64(HMAC-SHA256(secret, bytes)) of a file, or of standard input')
    .argument('[file]', 'file to sign (default: standard input)')
    .option('-s, --secret <secret>', 'webhook secret (default: $AMITY_WEBHOOK_SECRET)')
    .action(async (file: string | undefined, options: { secret?: string }) => {
      const secret = secretFrom(options.secret, io);
      const bytes =
        file === undefined
          ? await io.readStdin()
          : await readFile(file).catch((error: NodeJS.ErrnoException) => {
              throw new AmityCliUsageError(`cannot read ${file}: ${error.code ?? error.message}`);
            });
      io.stdout(`${signAmityPayload(bytes, secret)}\n`);
    });

  program
    .command('events')
    .description('list every event the library knows, with its family and when social.plus sends it')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const rows = AMITY_WEBHOOK_EVENT_NAMES.map((name) => ({ name, ...AMITY_EVENT_REGISTRY[name], dto: AMITY_EVENT_REGISTRY[name].dto.name }));
      if (options.json) {
        io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const row of rows) io.stdout(`${row.name.padEnd(width)}  ${row.family.padEnd(12)}  ${row.description}\n`);
    });

  return program;
}

/**
 * Runs the `amity-webhook` CLI with `argv` (without the node and script entries).
 * @returns the exit code: 0 ok, 1 the request failed or was refused, 2 a usage error
 */
export async function runAmityCli(argv: readonly string[], io: AmityCliIo = processAmityCliIo()): Promise<number> {
  const result = { code: 0 };
  try {
    await buildProgram(io, result).parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof AmityCliUsageError) {
      io.stderr(`amity-webhook: ${error.message}\n`);
      return 2;
    }
    io.stderr(`amity-webhook: ${(error as Error).message}\n`);
    return 1;
  }
}
