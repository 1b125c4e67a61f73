import './app-alias';
import 'reflect-metadata';
import { loadConfigOrThrow } from '../libs/config/src';
import { createApi } from '../libs/rest-api/src';

// Compact mode's api for allocation-cycle.bench.ts, built from this tree (not dist/apps), on
// the configuration file argv[2]. Exits 0 on SIGTERM/SIGINT so a --cpu-prof profile is written.
async function main(configFile: string): Promise<void> {
  const { config } = loadConfigOrThrow({ paths: [configFile], env: {} });
  const app = await createApi(config);
  await app.listen(config.app.port, config.app.host);
  const stop = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write('listening\n');
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
