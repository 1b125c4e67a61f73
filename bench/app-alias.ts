import Module = require('node:module');
import { join } from 'node:path';

// Compiled benches import the libraries' sources, which import each other as `@app/<lib>`;
// tsc does not rewrite those paths, so they are mapped here to the compiled copies beside us.
const moduleWithResolver = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
};
const resolve = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  const m = /^@app\/([^/]+)(\/.*)?$/.exec(request);
  const mapped = m ? join(__dirname, '..', 'libs', m[1], 'src', m[2] ?? '') : request;
  return resolve.call(this, mapped, ...rest);
};
