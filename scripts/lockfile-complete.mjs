#!/usr/bin/env node
// Adds lock entries for the platform-specific optional binaries (oxlint, unrs-resolver) that this
// machine's npm registry mirror does not serve for other platforms: `npm install` here then writes a
// lockfile listing only the Linux builds, and `npm ci` (npm 11) refuses a lockfile that misses
// optional dependencies. The entries carry os/cpu, so npm skips them on a non-matching platform.
// Run after `npm install` changes the lockfile; it is idempotent.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue; // only exact pins, as platform binaries use
    const stub = { version: spec, dev: entry.dev, optional: true };
    const platform = /binding-([a-z0-9]+)-([a-z0-9]+)/.exec(name);
    if (platform && platform[1] !== 'wasm32') Object.assign(stub, { os: [platform[1]], cpu: [platform[2]] });
    else if (platform) Object.assign(stub, { cpu: ['wasm32'] });
    if (!stub.dev) delete stub.dev;
    packages[hoisted] = stub;
    added++;
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: ${added} optional platform entries added`);
