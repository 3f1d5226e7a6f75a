// Which build of the library the `ours` servers load, and how the bench gets a stable one.
//
// Default: the workspace package (libs/amity-webhook/dist), rebuilt when older than src, then
// copied to bench/results/lib-<stamp>/ so that a rebuild by someone else during the run (tsc
// rewriting dist) can neither change nor break what is measured halfway. The copy sits inside the
// repository, so it resolves @nestjs/* from this node_modules: one copy of Nest, as in a host app.
//
// `AMITY_BENCH_LIB` (a directory holding index.js, or the file itself) measures another build, e.g.
// a patched copy in /tmp. Such a copy must also resolve @nestjs/* from this repository's
// node_modules (symlink node_modules next to it), or Nest sees two copies of its own classes.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const LIB = join(ROOT, 'libs', 'amity-webhook');

export function librarySpecifier(env = process.env) {
  const override = env.AMITY_BENCH_LIB;
  if (!override) return 'nestjs-amity-webhook';
  let file = resolve(override);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.js');
  if (!existsSync(file)) throw new Error(`AMITY_BENCH_LIB: ${file} does not exist`);
  return pathToFileURL(file).href;
}

export function loadLibrary() {
  return import(librarySpecifier());
}

function git(...args) {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function newestMtime(dir, filter) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, filter));
    else if (filter(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether `index` imports cleanly in a fresh process. */
function loads(index) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(index).href)});`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return r.status === 0 ? undefined : r.stderr.trim().split('\n').slice(0, 8).join('\n');
}

/**
 * Makes sure a loadable build exists and points `AMITY_BENCH_LIB` (inherited by the servers) at a
 * private snapshot of it.
 * @param {{ build: boolean, snapshotDir: string, log: (line: string) => void }} options
 * @returns {{ info: object, cleanup: () => void }}
 */
export function prepareLibrary({ build, snapshotDir, log }) {
  if (process.env.AMITY_BENCH_LIB) {
    return { info: { source: `AMITY_BENCH_LIB=${process.env.AMITY_BENCH_LIB}` }, cleanup: () => {} };
  }
  const distIndex = join(LIB, 'dist', 'index.js');
  let built = 'dist up to date';
  for (let attempt = 1; ; attempt++) {
    const srcNewest = newestMtime(join(LIB, 'src'), (n) => n.endsWith('.ts') && !n.endsWith('.spec.ts'));
    const distNewest = existsSync(join(LIB, 'dist')) ? newestMtime(join(LIB, 'dist'), (n) => n.endsWith('.js')) : 0;
    const stale = !existsSync(distIndex) || distNewest < srcNewest;
    if (stale && build) {
      log('Building the library (npm run build:lib) ...');
      const r = spawnSync('npm', ['run', '--silent', 'build:lib'], { cwd: ROOT, encoding: 'utf8' });
      built = r.status === 0 ? 'rebuilt now' : 'npm run build:lib FAILED; measuring what tsc emitted';
      if (r.status !== 0) log(`WARNING: ${built}:\n${`${r.stdout}${r.stderr}`.trim().split('\n').slice(0, 10).join('\n')}`);
    } else if (stale) {
      built = 'dist OLDER than src (--no-build)';
    }
    const error = existsSync(distIndex) ? undefined : 'no dist/index.js';
    if (!error) {
      rmSync(snapshotDir, { recursive: true, force: true });
      cpSync(join(LIB, 'dist'), join(snapshotDir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
      cpSync(join(LIB, 'package.json'), join(snapshotDir, 'package.json'));
    }
    const failure = error ?? loads(join(snapshotDir, 'dist', 'index.js'));
    if (!failure) break;
    if (attempt === 5) {
      rmSync(snapshotDir, { recursive: true, force: true });
      throw new Error(`the library build does not load (is someone rebuilding it?):\n${failure}`);
    }
    log('  the library build does not load yet (a rebuild in progress?); retrying in 3 s');
    sleepSync(3000);
  }
  process.env.AMITY_BENCH_LIB = join(snapshotDir, 'dist');
  const dirty = git('status', '--porcelain', '--', 'libs/amity-webhook/src');
  return {
    info: {
      source: 'libs/amity-webhook/dist (snapshot)',
      commit: git('rev-parse', '--short', 'HEAD'),
      srcDirty: dirty ? dirty.split('\n').length : 0,
      built: `${built}; dist of ${new Date(statSync(distIndex).mtimeMs).toISOString()}`,
    },
    cleanup: () => rmSync(snapshotDir, { recursive: true, force: true }),
  };
}
