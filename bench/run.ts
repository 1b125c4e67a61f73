import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Runs every `*.bench.js` compiled next to this file, one after another. */
async function main(): Promise<void> {
  const benches = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.js'))
    .filter((file) => !process.env.DUFFY_BENCH || file.startsWith(process.env.DUFFY_BENCH)) // one bench
    .sort();
  for (const file of benches) {
    console.log(`\n# ${file}\n`);
    const bench = require(join(__dirname, file)) as { run(): Promise<void> };
    await bench.run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
