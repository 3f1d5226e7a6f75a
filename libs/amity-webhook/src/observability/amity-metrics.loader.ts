import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { AmityPromClient } from './amity-metrics.installer.js';

/** prom-client with its default registry, as the module uses it. */
export type AmityPromClientModule = AmityPromClient & Pick<typeof import('prom-client'), 'register'>;

/**
 * Loads `prom-client` with a dynamic import, so an app without `metrics` never needs it. A missing
 * package fails the boot with what to install; `load` replaces the import in tests.
 */
export async function loadAmityPromClient(load: () => Promise<unknown> = () => import('prom-client')): Promise<AmityPromClientModule> {
  let loaded: unknown;
  try {
    loaded = await load();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes("'prom-client'");
    if (!missing) throw error;
    throw new AmityWebhookConfigError('`metrics` needs the optional peer dependency "prom-client", which is not installed: run `npm install prom-client`.');
  }
  // prom-client is CommonJS: its exports are named, and also under `default` for some loaders.
  const module = loaded as Partial<AmityPromClientModule> & { default?: AmityPromClientModule };
  return typeof module.Counter === 'function' ? (module as AmityPromClientModule) : module.default!;
}
