#!/usr/bin/env node
// `npm run start:dev`: the sample app in watch mode, library included. The app imports the library
// by its package name, which resolves to the library's build output, so `nest start --watch` alone
// never saw edits under libs/. Here both compile in watch mode and `node --watch` restarts the app
// when any file it loaded changes, the library's among them.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const children = new Set();

function start(name, args, onLine) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.stdout.setEncoding('utf8');
  let pending = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      process.stdout.write(name === 'app' ? `${line}\n` : `[${name}] ${line}\n`);
      onLine?.(line);
    }
  });
  child.on('exit', (code) => {
    children.delete(child);
    // One part gone means the loop is broken: stop the others rather than run half of it.
    stop(code ?? 1);
  });
  return child;
}

function stop(code) {
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The app starts once both compilers have finished their first pass, so it loads complete output.
const waiting = new Set(['lib', 'app-build']);
const ready = (name) => (line) => {
  if (!waiting.has(name) || !/Watching for file changes/.test(line)) return;
  waiting.delete(name);
  if (waiting.size === 0) start('app', ['--watch', join(root, 'dist', 'main.js')]);
};
start('lib', [tsc, '-p', 'libs/amity-webhook/tsconfig.lib.json', '--watch', '--preserveWatchOutput'], ready('lib'));
start('app-build', [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], ready('app-build'));
