/**
 * Testing kit of nestjs-amity-webhook (`nestjs-amity-webhook/testing`): sample payloads for every
 * event, signing, sending over HTTP, and recording what the library emits.
 * @packageDocumentation
 */
export { signAmityPayload } from '../signature/amity-signature.js';
export * from './amity-fixture.factory.js';
export * from './amity-webhook.client.js';
export * from './amity-event.recorder.js';
export { AMITY_FIXTURE_DATA } from './fixtures/amity-event.fixtures.js';
export * from './amity-capturing.logger.js';
