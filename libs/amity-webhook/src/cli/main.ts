#!/usr/bin/env node
import { AMITY_FIXTURE_DATA } from '../testing/fixtures/amity-event.fixtures.js';
import { amityFixture } from '../testing/amity-fixture.factory.js';
import { processAmityCliIo, runAmityCli } from './amity-webhook.cli.js';

// The `amity-webhook` bin: sample payloads come from the testing kit's fixtures.
// A closed pipe (`amity-webhook events | head`) ends the output quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const io = processAmityCliIo();
io.fixture = (event) => (event in AMITY_FIXTURE_DATA ? amityFixture(event as keyof typeof AMITY_FIXTURE_DATA) : undefined);
process.exitCode = await runAmityCli(process.argv.slice(2), io);
