import './app-alias';
import 'reflect-metadata';
import { runProjector } from '../apps/projector/src/run-projector';
import { loadConfigOrThrow } from '../libs/config/src';

// Compact mode's projector for allocation-cycle.bench.ts: `projector run` built from this tree
// (read models, and the JetStream relay since the configuration has a tasks section). It stops
// on SIGTERM/SIGINT by itself; process.exit then writes a --cpu-prof profile.
async function main(configFile: string): Promise<number> {
  const { config } = loadConfigOrThrow({ paths: [configFile], env: {} });
  // Its two start lines (active, relaying) are routine here; anything else is news.
  return runProjector(config, (line) => {
    if (!/^(active|relaying)/.test(line)) process.stderr.write(`projector: ${line}\n`);
  });
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
