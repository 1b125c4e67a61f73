// tsc emits the shared libs as CommonJS (their sources live in the root's CommonJS scope), but
// they land under apps/cli/dist, where this package's "type": "module" would make Node read
// them as ESM. A nested package.json restores their real module type.
const fs = require('node:fs');
const path = require('node:path');

const libs = path.join(__dirname, '..', 'dist', 'libs');
fs.mkdirSync(libs, { recursive: true });
fs.writeFileSync(path.join(libs, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
