export { AmityWebhookDispatcher, AmityWebhookHealthIndicator } from '../../src/index.js';
import type { FixtureOptions } from '../fixture/fixture.app.js';

/** Fixture options without the secret, which the suites set. */
export type FixtureModeOptions = Omit<FixtureOptions, 'secrets'>;
