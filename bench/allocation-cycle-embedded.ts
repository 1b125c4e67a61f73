import './app-alias';
import 'reflect-metadata';
import { loadConfigOrThrow } from '../libs/config/src';
import { startEmbeddedDuffy } from '../apps/cli/server/dev/embedded-duffy';
import { demoConfigDir } from '../apps/cli/server/dev/run-dev';

// `duffy dev`'s composition (startEmbeddedDuffy) for allocation-cycle.bench.ts, in a process of
// its own so its CPU is measured apart from the clients': argv = data folder, api port, bench
// config file (laid over the demo configuration). Prints the admin's credentials as one JSON
// line once up; stops on SIGTERM/SIGINT and exits 0, so a --cpu-prof profile is written.
async function main(dataDir: string, port: string, benchConfig: string): Promise<void> {
  const { config } = loadConfigOrThrow({ paths: [demoConfigDir(), benchConfig], env: {} });
  const duffy = await startEmbeddedDuffy({
    config,
    dataDir,
    port: Number(port),
    ssh: false,
    bcryptCost: 4,
    // The sagas' chatter is not the bench's business; failures are.
    log: (line) => {
      if (/fail|error|stopped/i.test(line)) process.stderr.write(`duffy dev: ${line}\n`);
    },
  });
  const stop = () => void duffy.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ name: duffy.admin.name, key: duffy.admin.key })}\n`);
}

main(process.argv[2], process.argv[3], process.argv[4]).catch((error) => {
  console.error(error);
  process.exit(1);
});
