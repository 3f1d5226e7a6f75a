// Node module hooks for Jest's global setup and for child processes that run a Nest app from the
// sources. Jest hands its global setup to Node's own loader, outside
// its module system (no ts-jest, no moduleNameMapper), so whatever it imports must be loadable by
// Node itself. These hooks let it import the repository's TypeScript test support as the sources
// spell it (`./redis-server.js` for `redis-server.ts`), transpiled without type checking like
// ts-jest does; `npm run typecheck` checks these files with the rest.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** `./x.js` imported from a `.ts` file means `./x.ts` when only that exists. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(url))) {
      return { url: url.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

/** `.ts` files become ES modules, with the decorator metadata Nest's constructor injection reads. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      sourceMap: false,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
