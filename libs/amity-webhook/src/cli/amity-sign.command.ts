import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signAmityPayload } from '../signature/amity-signature.js';
import { AmityCliUsageError, amityCliSecret, type AmityCliIo } from './amity-cli.io.js';

/** `amity-webhook sign --help`. */
export const AMITY_SIGN_USAGE = `Usage: amity-webhook sign [file] [options]

Print the x-amity-signature of a file, or of standard input: Base64(HMAC-SHA256(secret, bytes)).

Options:
  -s, --secret <secret>  webhook secret (default: $AMITY_WEBHOOK_SECRET)
  -h, --help             show this help
`;

/** `amity-webhook sign`: prints the signature of the exact bytes of a file or of standard input. */
export async function runAmitySignCommand(argv: readonly string[], io: AmityCliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { secret: { type: 'string', short: 's' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout(AMITY_SIGN_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new AmityCliUsageError(`sign takes one file, got ${positionals.length}`);
  const secret = amityCliSecret(values.secret, io);
  const [file] = positionals;
  const bytes =
    file === undefined
      ? await io.readStdin()
      : await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new AmityCliUsageError(`cannot read ${file}: ${error.code ?? error.message}`);
        });
  io.stdout(`${signAmityPayload(bytes, secret)}\n`);
  return 0;
}
