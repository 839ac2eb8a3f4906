/**
 * Resolves the `@app/<lib>` imports at run time, for `node dist/src/main.js` (Docker, Procfile)
 * as well as for ts-node in development: `libs/<lib>/src` sits at the same place relative to this
 * file in both trees. Must be the first import of the entry point.
 */
import Module from 'node:module';
import path from 'node:path';

const LIBS = new Set(['dynamo', 'mongo', 'common', 'testing']);
const libsRoot = path.join(__dirname, '..', 'libs');

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;

moduleWithResolve._resolveFilename = function resolveAppAlias(this: unknown, request: string, ...rest: unknown[]) {
  const match = /^@app\/([a-z]+)(\/.*)?$/.exec(request);
  if (match && LIBS.has(match[1])) {
    request = path.join(libsRoot, match[1], 'src', match[2] ?? '');
  }
  return original.call(this, request, ...rest);
};
