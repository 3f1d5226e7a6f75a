import { isIP } from 'node:net';
import type { ConfigService } from '@nestjs/config';
import { AMITY_WEBHOOK_SECRETS_ENV } from './amity-webhook.config.js';
import { parsePositiveInteger } from './env.parsers.js';

/** Where the HTTP server listens. */
export interface ServerSettings {
  /** `PORT`, 1 to 65535. @default 3000 */
  readonly port: number;
  /**
   * `HOST`. @default '0.0.0.0' (all interfaces, as a container needs) once webhook secrets are
   * configured; '127.0.0.1' while the development secret is in use
   */
  readonly host: string;
  /** Set when the host was narrowed to loopback because the development secret is in use. */
  readonly loopbackOnly: boolean;
}

/** What decides the listening address besides the variables themselves. */
export interface ServerSettingsContext {
  /** The app verifies webhooks with the public development secret. */
  readonly developmentSecret: boolean;
}

// A host name as RFC 1123 allows it (letters, digits, hyphens, dots), or an IP address.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Whether `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** `host` as it goes in a URL: IPv6 addresses in brackets (`http://[::1]:3000`). */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * Reads `PORT` and `HOST`; an invalid value fails the boot with a message naming the variable.
 * While the development secret is in use the app listens on loopback only: `HOST` defaults to
 * 127.0.0.1 and any other address is refused, since anyone who can reach the app could sign
 * webhooks with that public secret.
 */
export function serverSettingsFromConfig(config: ConfigService, context: ServerSettingsContext): ServerSettings {
  const port = parsePositiveInteger('PORT', config.get<string>('PORT'), 3000, 65535);
  const raw = config.get<string>('HOST');
  const given = raw?.trim() ? raw.trim() : undefined;
  if (given !== undefined && isIP(given) === 0 && !HOST_NAME.test(given)) {
    throw new Error(`HOST must be an IP address or a host name, such as 127.0.0.1, 0.0.0.0 or ::1 (got ${JSON.stringify(raw)})`);
  }
  if (!context.developmentSecret) return { port, host: given ?? '0.0.0.0', loopbackOnly: false };
  if (given !== undefined && !isLoopbackHost(given)) {
    throw new Error(
      `HOST=${given} would expose the app while it verifies webhooks with the public development secret: ` +
        `set ${AMITY_WEBHOOK_SECRETS_ENV} to your webhook secret(s), or use a loopback HOST (127.0.0.1, ::1, localhost)`,
    );
  }
  return { port, host: given ?? '127.0.0.1', loopbackOnly: true };
}
