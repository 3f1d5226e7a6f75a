import { ConsoleLogger } from '@nestjs/common';
import { AMITY_WEBHOOK_ROLE_ENV } from './config/durable-mode.config.js';

/**
 * `npm run start:worker`: a worker-only process of the durable mode. It calls the listeners of the
 * deliveries that receivers (`AMITY_WEBHOOK_ROLE=receiver`, or `all`) stored in Redis and serves no
 * HTTP. It is `main.ts` with `AMITY_WEBHOOK_ROLE=worker`: the whole app (listeners, database,
 * shutdown drain) initialised but never listening, so no webhook or other request reaches it and
 * there is no port to expose. (An application context without an HTTP adapter would be lighter,
 * but the webhook module refuses to boot in one.) Scale it by running more; a killed worker's jobs
 * are taken over by the others once their lock expires.
 */
const role = process.env[AMITY_WEBHOOK_ROLE_ENV]?.trim();
if (role && role !== 'worker') {
  new ConsoleLogger().error(`${AMITY_WEBHOOK_ROLE_ENV}=${role} contradicts npm run start:worker: unset it, or start the app with npm start`, 'Bootstrap');
  process.exitCode = 1;
} else {
  // Read through ConfigService like every other setting; a real variable wins over `.env`.
  process.env[AMITY_WEBHOOK_ROLE_ENV] = 'worker';
  await import('./main.js');
}
