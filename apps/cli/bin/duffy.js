#!/usr/bin/env node
// The `duffy` executable: runs the compiled CLI (build it with `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/apps/cli/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('duffy: the CLI is not built yet; run `npm run build` in the repository\n');
  process.exit(1);
}
await import(main.href);
