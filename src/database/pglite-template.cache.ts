import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A freshly initialised, empty PGlite cluster, as a tarball. Starting PGlite in memory from it
 * takes a fraction of a second, where initdb takes seconds: every test app boots an in-memory
 * database, and Jest's timeout is five seconds. The image is kept once per process and on disk in
 * `node_modules/.cache` (per PGlite version), the usual home of tool caches.
 */
let image: Promise<Blob> | undefined;

/** The blank cluster image, made on first use. */
export function blankClusterImage(): Promise<Blob> {
  image ??= loadOrMake().catch((error: unknown) => {
    image = undefined;
    throw error;
  });
  return image;
}

/** Forgets a cached image that PGlite could not start from, so that the next call makes a new one. */
export async function discardBlankClusterImage(): Promise<void> {
  image = undefined;
  const file = await cachedFile();
  if (file) await rm(file, { force: true });
}

async function loadOrMake(): Promise<Blob> {
  const file = await cachedFile();
  if (file) {
    const cached = await readFile(file).catch(() => undefined);
    if (cached && cached.length > 0) return new Blob([cached]);
  }
  const template = await PGlite.create();
  let made: Blob;
  try {
    made = await template.dumpDataDir('none');
  } finally {
    await template.close();
  }
  if (file) {
    // Written under a private name and renamed: a concurrent reader sees all of it or nothing.
    const partial = `${file}.${process.pid}.tmp`;
    await mkdir(dirname(file), { recursive: true })
      .then(async () => writeFile(partial, new Uint8Array(await made.arrayBuffer())))
      .then(() => rename(partial, file))
      .catch(() => undefined);
  }
  return made;
}

/** `node_modules/.cache/nestjs-amity-webhook-sample/pglite-<version>-blank.tar`, or `undefined` if PGlite cannot be located. */
async function cachedFile(): Promise<string | undefined> {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    // .../node_modules/@electric-sql/pglite/dist/index.cjs
    const packageDir = dirname(dirname(entry));
    const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    return join(dirname(dirname(packageDir)), '.cache', 'nestjs-amity-webhook-sample', `pglite-${version}-blank.tar`);
  } catch {
    return undefined;
  }
}
