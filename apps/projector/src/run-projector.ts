import type { DuffyConfig } from '@app/config';
import { startEventRelay } from '@app/messaging';
import { duffyMetrics, projectionLagSource } from '@app/observability';
import {
  followLog,
  openReadModels,
  ProjectionWriter,
  READ_MODEL_PROJECTION,
} from '@app/read-models';
import { connectEventStore, eventStoreUrl, natsNamespace, readModelUrl } from './connect';

import { acquireProjectorLock } from './projector-lock';
import { startProjectorStatus } from './projector-status';

type Log = (line: string) => void;

/** `projector run`: wait to be the active projector, then follow the log until a signal. */
export async function runProjector(config: DuffyConfig, log: Log): Promise<number> {
  const url = readModelUrl(config);
  const status = await startProjectorStatus(config, log);
  const lock = await acquireProjectorLock({
    url,
    projection: READ_MODEL_PROJECTION,
    onWaiting: () => log('standby: another projector is active; waiting for its lock'),
    onLost: (error) => {
      log(`lost the projector lock (${error.message}); exiting`);
      process.exit(1);
    },
    onReconnect: (error) => log(`standby: database connection failed (${error.message}); retrying`),
  });
  log('active: projecting events into the read models');
  const store = await connectEventStore(config);
  const readModels = await openReadModels({ url, poolSize: 4 });
  status?.activate(store, readModels);
  const writer = new ProjectionWriter(readModels);
  const removeLag = duffyMetrics().addGaugeSource(
    'projector:lag',
    projectionLagSource(store, READ_MODEL_PROJECTION, () => writer.checkpoint()),
  );
  const following = await followLog(store, writer, {
    url: eventStoreUrl(config),
    channel: 'event_store_appended',
  });
  // With a `tasks` section there is a provisioner to feed: relay every event to JetStream,
  // from the relay's own checkpoint, under the same active-projector lock.
  const relay =
    config.raw.tasks === undefined
      ? undefined
      : await startEventRelay({
          store,
          databaseUrl: eventStoreUrl(config),
          natsUrl: config.tasks.natsServers,
          replicas: config.tasks.natsReplicas,
          namespace: natsNamespace(config),
          onError: (error) => log(`relay: ${(error as Error)?.message ?? String(error)}`),
        });
  if (relay) log(`relaying events to JetStream stream ${relay.stream} at ${config.tasks.natsUrl}`);
  const stop = () => void following.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let code = 0;
  try {
    await following.done;
  } catch (error) {
    log(`projection failed: ${(error as Error).stack ?? String(error)}`);
    code = 1;
  }
  await relay?.stop();
  removeLag();
  await readModels.destroy();
  await store.close();
  await lock.release();
  await status?.close();
  return code;
}
