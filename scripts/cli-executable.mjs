#!/usr/bin/env node
// tsc writes the CLI without the executable bit. npm sets it when it installs the package, but
// inside this repository node_modules/.bin/amity-webhook links to the build output directly, so
// `npx amity-webhook` would answer "Permission denied" without this.
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

chmodSync(fileURLToPath(new URL('../libs/amity-webhook/dist/cli/main.js', import.meta.url)), 0o755);
