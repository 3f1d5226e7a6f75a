import type { ConfigService } from '@nestjs/config';
import { parsePositiveInteger } from './env.parsers.js';

/** Where the HTTP server listens. */
export interface ServerSettings {
  /** `PORT`. @default 3000 */
  readonly port: number;
  /** `HOST`. @default '0.0.0.0' (all interfaces, as a container needs) */
  readonly host: string;
}

/** Reads `PORT` and `HOST`; an invalid `PORT` fails the boot with a message naming it. */
export function serverSettingsFromConfig(config: ConfigService): ServerSettings {
  const host = config.get<string>('HOST')?.trim();
  return {
    port: parsePositiveInteger('PORT', config.get<string>('PORT'), 3000, 65535),
    host: host ? host : '0.0.0.0',
  };
}
