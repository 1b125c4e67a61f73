import './app-alias';
import 'reflect-metadata';
import { loadConfigOrThrow } from '../libs/config/src';
import { PostgresEventStore } from '../libs/event-store/src';
import { openReadModels, ProjectionWriter } from '../libs/read-models/src';
import { createApi } from '../libs/rest-api/src';

// Child process of auth-dos.bench.ts: the api built from this tree (not dist/apps), with its
// projector in-process (idle once the seeded tenant is projected), on the config given as
// argv[2]. Runs until killed.
async function main(configFile: string): Promise<void> {
  const { config } = loadConfigOrThrow({ paths: [configFile], env: {} });
  const url = config.database?.url;
  if (!url) throw new Error('database.url: required');
  const store = await PostgresEventStore.connect({ url, poolSize: 2 });
  const models = await openReadModels({ url, poolSize: 2 });
  const writer = new ProjectionWriter(models);
  const subscription = store.subscribeToAll({ after: await writer.checkpoint() });
  void (async () => {
    for await (const event of subscription) await writer.apply([event]);
  })();
  const app = await createApi(config);
  await app.listen(config.app.port, config.app.host);
  process.on('SIGTERM', () => {
    void app.close().finally(() => process.exit(0));
  });
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
