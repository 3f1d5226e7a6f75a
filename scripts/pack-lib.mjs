#!/usr/bin/env node
// Builds the library from a clean dist/ and writes its installable tarball to ./packages/.
// The tarball's absolute path is the last line printed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'libs', 'amity-webhook');
const destination = join(root, 'packages');

rmSync(join(lib, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(lib, 'tsconfig.lib.json')], {
  stdio: 'inherit',
});
execFileSync(process.execPath, [join(root, 'scripts', 'cli-executable.mjs')], { stdio: 'inherit' });
mkdirSync(destination, { recursive: true });
const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: lib, encoding: 'utf8' });
const [{ filename, files, size }] = JSON.parse(output);
console.log(`packed ${files.length} files, ${size} bytes`);
console.log(join(destination, filename));
