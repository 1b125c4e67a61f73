import './app-alias';
import 'reflect-metadata';
import { loadConfigOrThrow } from '../libs/config/src';
import { createApi } from '../libs/rest-api/src';

// Child process of api.bench.ts: the api as `apps/api` composes it, built from this tree by
// `tsc -p bench/tsconfig.json` (not dist/apps, which only `npm run build` makes), on the config
// given as argv[2]. SIGTERM closes the app and exits, so `--cpu-prof` gets to write its profile.
async function main(configFile: string): Promise<void> {
  const { config } = loadConfigOrThrow({ paths: [configFile], env: {} });
  const app = await createApi(config);
  await app.listen(config.app.port, config.app.host);
  process.once('SIGTERM', () => {
    void app.close().finally(() => process.exit(0));
  });
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
