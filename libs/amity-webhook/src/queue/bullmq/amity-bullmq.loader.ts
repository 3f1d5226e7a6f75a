// Kept apart from the queue's options so that the package's public type declarations never name
// `bullmq`, an optional peer a host without durable mode does not install.
import { AmityWebhookConfigError } from '../../errors/amity-webhook-config.error.js';

/** The BullMQ module, as `loadAmityBullmq` hands it over. */
export type AmityBullmqModule = typeof import('bullmq');

const INSTALL_HINT = 'run `npm install bullmq ioredis` (bullmq 6 loads ioredis as its own optional peer)';

function isMissingModule(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${name}'`)
  );
}

/**
 * Loads `bullmq` (and checks that `ioredis`, which BullMQ 6 loads lazily on first connection, is
 * there too) with dynamic imports, so an app without `queue` never needs either. A missing
 * package fails the boot with what to install; `load` replaces the imports in tests.
 */
export async function loadAmityBullmq(
  load: { bullmq: () => Promise<AmityBullmqModule>; ioredis: () => Promise<unknown> } = {
    bullmq: () => import('bullmq'),
    ioredis: () => import('ioredis'),
  },
): Promise<AmityBullmqModule> {
  let bullmq: AmityBullmqModule;
  try {
    bullmq = await load.bullmq();
  } catch (error) {
    if (!isMissingModule(error, 'bullmq')) throw error;
    throw new AmityWebhookConfigError(`\`queue\` needs the optional peer dependency "bullmq", which is not installed: ${INSTALL_HINT}.`);
  }
  try {
    await load.ioredis();
  } catch (error) {
    if (!isMissingModule(error, 'ioredis')) throw error;
    throw new AmityWebhookConfigError(`\`queue\` needs the optional peer dependency "ioredis", which is not installed: ${INSTALL_HINT}.`);
  }
  return bullmq;
}
