import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AMITY_SIGNATURE_HEADER, EKO_SIGNATURE_HEADER } from '../amity-webhook.constants.js';
import { AMITY_WEBHOOK_EVENT_NAMES, isAmityWebhookEventName } from '../events/amity-event.registry.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { AmityCliUsageError, amityCliSecret, type AmityCliIo } from './amity-cli.io.js';
import { freshAmitySample } from './amity-fresh-sample.js';

/** Where `send` posts without `--url`: the sample app's default address and the library's route. */
export const AMITY_CLI_DEFAULT_URL = 'http://localhost:3000/webhooks/amity';

/** `amity-webhook send --help`. */
export const AMITY_SEND_USAGE = `Usage: amity-webhook send [event] [options]

Sign a sample payload of <event> (or the --data file) and POST it like social.plus does.
Each send is a new delivery: the sample's timestamps are set to the current time, so a
receiver neither suppresses it as a duplicate nor refuses it as too old.

Options:
  -u, --url <url>        receiver URL, with the route's full path (default: ${AMITY_CLI_DEFAULT_URL})
  -s, --secret <secret>  webhook secret (default: $AMITY_WEBHOOK_SECRET)
  -d, --data <file>      JSON file: a whole {event, data} envelope, sent byte for byte (the event
                         name is then optional), or just the data of <event>
      --as-is            send the sample exactly as shipped: the same bytes every time, so a repeat
                         within the receiver's duplicate window is acknowledged but not dispatched
      --legacy           send the legacy duplicate (x-eko-signature only), which receivers ignore
  -h, --help             show this help
`;

interface SendOptions {
  url: string;
  secret?: string;
  data?: string;
  asIs: boolean;
  legacy: boolean;
}

function parseSendArgs(argv: readonly string[]): { event: string | undefined; options: SendOptions } | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string', short: 'u', default: AMITY_CLI_DEFAULT_URL },
      secret: { type: 'string', short: 's' },
      data: { type: 'string', short: 'd' },
      'as-is': { type: 'boolean', default: false },
      legacy: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 1) throw new AmityCliUsageError(`send takes one event name, got ${positionals.length}: ${positionals.join(' ')}`);
  return {
    event: positionals[0],
    options: { url: values.url, secret: values.secret, data: values.data, asIs: values['as-is'], legacy: values.legacy },
  };
}

/** The exact bytes to post and the event they carry. */
async function bodyFor(event: string | undefined, options: SendOptions, io: AmityCliIo): Promise<{ body: Buffer; event: string }> {
  if (options.data !== undefined) return bodyFromFile(event, options.data);
  if (event === undefined) throw new AmityCliUsageError('send needs an event name (see "amity-webhook events") or --data <file>');
  if (!isAmityWebhookEventName(event)) {
    const last = (event.split('.').pop() ?? event).toLowerCase();
    const near = AMITY_WEBHOOK_EVENT_NAMES.filter((name) => name.toLowerCase().includes(last)).slice(0, 5);
    throw new AmityCliUsageError(
      `unknown event "${event}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; run "amity-webhook events", or pass --data <file>`,
    );
  }
  if (!io.fixture) throw new AmityCliUsageError(`no sample payload available for ${event}; pass --data <file>`);
  const sample = io.fixture(event);
  const payload = options.asIs ? sample : freshAmitySample(sample, io.now?.() ?? new Date());
  return { body: Buffer.from(JSON.stringify(payload)), event };
}

async function bodyFromFile(event: string | undefined, file: string): Promise<{ body: Buffer; event: string }> {
  const raw = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new AmityCliUsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AmityCliUsageError(`${file} is not valid JSON`);
  }
  const envelope = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'event' in parsed ? parsed.event : undefined;
  if (envelope === undefined) {
    if (event === undefined) throw new AmityCliUsageError(`${file} holds data without an "event": give the event name too`);
    return { body: Buffer.from(JSON.stringify({ event, data: parsed })), event };
  }
  if (typeof envelope !== 'string') throw new AmityCliUsageError(`${file}: "event" is not a string`);
  // The file is sent as it is, so the label must be the file's event, not a different argument.
  if (event !== undefined && event !== envelope) {
    throw new AmityCliUsageError(`${file} holds a ${envelope} envelope, not ${event}: leave the event name out, or pass ${envelope}`);
  }
  return { body: raw, event: envelope };
}

/**
 * `amity-webhook send`: signs and POSTs one delivery, prints `<status> <answer> in <ms> ms
 * (<bytes> bytes, <event>)`.
 * @returns 0 when the receiver answered 2xx, 1 otherwise
 */
export async function runAmitySendCommand(argv: readonly string[], io: AmityCliIo): Promise<number> {
  const parsed = parseSendArgs(argv);
  if (parsed === 'help') {
    io.stdout(AMITY_SEND_USAGE);
    return 0;
  }
  const { options } = parsed;
  const secret = amityCliSecret(options.secret, io);
  const { body, event } = await bodyFor(parsed.event, options, io);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new AmityCliUsageError(`--url is not a URL: ${options.url}`);
  }
  const header = options.legacy ? EKO_SIGNATURE_HEADER : AMITY_SIGNATURE_HEADER;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [header]: signAmityPayload(body, secret) }, body });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, bad port...) is in its cause.
    const detail = (error as { cause?: { code?: string; message?: string } }).cause;
    const cause = detail?.code ?? detail?.message ?? (error as Error).message;
    throw new Error(`could not reach ${url.href} (${cause})`, { cause: error });
  }
  const text = await response.text();
  const ms = (performance.now() - started).toFixed(1);
  const note = options.legacy ? ', legacy duplicate: receivers acknowledge it without dispatching' : '';
  io.stdout(`${response.status} ${text} in ${ms} ms (${body.length} bytes, ${event}${note})\n`);
  return response.ok ? 0 : 1;
}
