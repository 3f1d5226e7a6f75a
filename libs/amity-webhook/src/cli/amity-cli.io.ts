/** Where the CLI reads and writes; injectable so that it can be tested in-process. */
export interface AmityCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
  env: Record<string, string | undefined>;
  /** Builds the body `send` posts for a known event when no `--data` is given. */
  fixture?: (event: string) => unknown;
  /** The current time, for the timestamps of fresh samples. @default () => new Date() */
  now?: () => Date;
}

/** A usage problem: printed without a stack, exit code 2. */
export class AmityCliUsageError extends Error {}

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

/** `--secret`, else `AMITY_WEBHOOK_SECRET`, else the first of `AMITY_WEBHOOK_SECRETS`. */
export function amityCliSecret(option: string | undefined, io: AmityCliIo): string {
  const secret = option ?? io.env['AMITY_WEBHOOK_SECRET'] ?? io.env['AMITY_WEBHOOK_SECRETS']?.split(',')[0]?.trim();
  if (!secret) throw new AmityCliUsageError('a secret is required: pass --secret <secret> or set AMITY_WEBHOOK_SECRET');
  return secret;
}
