import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const libRoot = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(libRoot, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Bare module specifiers imported (statically, dynamically or as types) by the shipped sources. */
function importedPackages(): Map<string, string> {
  const found = new Map<string, string>();
  const specifier = /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g;
  for (const file of sourceFiles(join(libRoot, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      const name = match[1]!;
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
      if (!found.has(pkg)) found.set(pkg, relative(libRoot, file));
    }
  }
  return found;
}

describe('published package manifest', () => {
  it('is an ESM package with an engines range, a licence and a files allowlist', () => {
    expect(manifest.name).toBe('nestjs-amity-webhook');
    expect(manifest.type).toBe('module');
    expect(manifest.engines?.node).toMatch(/^>=20/);
    expect(manifest.license).toBe('MIT');
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE']));
    expect(manifest.private).toBeUndefined();
  });

  it('exports every entry point with types first and an ESM default', () => {
    for (const [subpath, target] of Object.entries<Record<string, string>>(manifest.exports)) {
      if (subpath === './package.json') continue;
      const conditions = Object.keys(target).filter((c) => c !== 'source');
      expect([subpath, conditions]).toEqual([subpath, ['types', 'default']]);
      expect(target['types']).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(target['default']).toMatch(/^\.\/dist\/.*\.js$/);
      expect(target['types']!.replace(/\.d\.ts$/, '')).toBe(target['default']!.replace(/\.js$/, ''));
    }
  });

  it('maps every subpath export for TypeScript resolutions that ignore "exports" (node10: module commonjs)', () => {
    const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== '.' && subpath !== './package.json');
    for (const subpath of subpaths) {
      expect(manifest.typesVersions?.['*']?.[subpath.slice(2)]).toEqual([manifest.exports[subpath].types]);
    }
  });

  it('declares every package the shipped code imports, as a dependency or a peer', () => {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const undeclared = [...importedPackages()].filter(([pkg]) => !builtins.has(pkg) && !declared.has(pkg));
    expect(undeclared).toEqual([]);
  });

  it('keeps what the host already has as peers, and adapters and Redis optional', () => {
    expect(Object.keys(manifest.peerDependencies)).toEqual(
      expect.arrayContaining(['@nestjs/common', '@nestjs/core', '@nestjs/event-emitter', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs']),
    );
    for (const optional of ['@nestjs/platform-fastify', '@nestjs/platform-express', 'fastify', 'ioredis', 'bullmq']) {
      expect(manifest.peerDependenciesMeta?.[optional]?.optional).toBe(true);
    }
    // The CLI parses its arguments with node:util's parseArgs: no commander.
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(['secure-json-parse']);
    expect(manifest.devDependencies).toBeUndefined();
  });

  it('has an amity-webhook bin whose source starts with a node shebang', () => {
    expect(manifest.bin).toEqual({ 'amity-webhook': './dist/cli/main.js' });
    const source = readFileSync(join(libRoot, 'src', 'cli', 'main.ts'), 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('ships no tests, fixtures or configuration (npm pack --dry-run)', () => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: libRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files: string[] = JSON.parse(output)[0].files.map((f: { path: string }) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'src/index.ts']));
    const unwanted = files.filter((f) => /(^test\/|\.spec\.|e2e-spec|tsconfig|\.tsbuildinfo$)/.test(f));
    expect(unwanted).toEqual([]);
  });
});
