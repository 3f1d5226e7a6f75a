import { parseArgs } from 'node:util';
import { AMITY_EVENT_REGISTRY, AMITY_WEBHOOK_EVENT_NAMES } from '../events/amity-event.registry.js';
import { AmityCliUsageError, type AmityCliIo } from './amity-cli.io.js';

/** `amity-webhook events --help`. */
export const AMITY_EVENTS_USAGE = `Usage: amity-webhook events [options]

List every event the library knows, with its family and when social.plus sends it.

Options:
      --json  print JSON
  -h, --help  show this help
`;

/** `amity-webhook events`: the catalogue, as a table or JSON. */
export function runAmityEventsCommand(argv: readonly string[], io: AmityCliIo): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout(AMITY_EVENTS_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new AmityCliUsageError(`events takes no argument, got: ${positionals.join(' ')}`);
  const rows = AMITY_WEBHOOK_EVENT_NAMES.map((name) => ({ name, ...AMITY_EVENT_REGISTRY[name], dto: AMITY_EVENT_REGISTRY[name].dto.name }));
  if (values.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) io.stdout(`${row.name.padEnd(width)}  ${row.family.padEnd(12)}  ${row.description}\n`);
  return 0;
}
