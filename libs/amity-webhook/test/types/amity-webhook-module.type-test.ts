// Type tests of the module's options: checked by `npm run typecheck` (tsc), never run. Every
// expect-error directive below must meet an error, or tsc fails on the unused directive.
import { SetMetadata } from '@nestjs/common';
import { AmityWebhookModule, type AmityWebhookModuleOptions } from '../../src/index.js';

const Public = () => SetMetadata('isPublic', true);

export const routeExtras = [
  AmityWebhookModule.forRoot({ secrets: 'a', path: 'hooks/amity', decorators: [Public()], isGlobal: true }),
  // The extras sit beside the factory: they shape the module before any factory runs.
  AmityWebhookModule.forRootAsync({ path: 'hooks/amity', decorators: [Public()], useFactory: () => ({ secrets: 'a' }) }),
  AmityWebhookModule.forRoot({
    secrets: 'a',
    // @ts-expect-error a decorator list holds decorators, not route names
    decorators: ['Public'],
  }),
];

export const factoryResults: AmityWebhookModuleOptions[] = [
  { secrets: 'a', queue: { connection: 'redis://127.0.0.1:6379', prefix: 'app', worker: false, spoolDir: '/var/lib/app/spool' } },
  { secrets: 'a', payloadLimits: { maxKeys: 500 }, bodyTimeoutMs: 2000, idempotency: { timeoutMs: 100 } },
  // @ts-expect-error `path` shapes the module: a factory cannot return it
  { secrets: 'a', path: 'hooks' },
  // @ts-expect-error unknown options do not compile (and fail the boot when they come from untyped config)
  { secrets: 'a', fastLane: false },
];
