/**
 * A minimal TypeScript loader for child processes of the tests (`node -r ./ts-register.cjs x.ts`):
 * compiles each .ts file of the project with @swc/core (the compiler the test runner uses, with
 * the same decorator settings) to CommonJS, and resolves the `@wangge/*` path aliases of
 * tsconfig.json. No build step, so a spawned process runs the current sources, never a stale dist.
 */
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '../..');
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const aliases = Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, join(root, target)]));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const slash = request.startsWith('@wangge/') ? request.indexOf('/', '@wangge/'.length) : -1;
  const name = slash === -1 ? request : request.slice(0, slash);
  if (Object.prototype.hasOwnProperty.call(aliases, name)) {
    request = aliases[name] + (slash === -1 ? '' : request.slice(slash));
  }
  return resolveFilename.call(this, request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      keepClassNames: true,
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  });
  module._compile(code, filename);
};
