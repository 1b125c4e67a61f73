// The projector's status port: /health always; /ready once it holds the projector lock (a
// standby projector is alive but not doing the work) and while the read models keep up.
import type { DuffyConfig } from '@app/config';
import type { EventStore } from '@app/event-store';
import {
  CheckFailed,
  ReadinessCheck,
  SqlQueryable,
  StatusServer,
  eventStoreCheck,
  projectionLagCheck,
  readModelsCheck,
  startStatusServerOrWarn,
} from '@app/observability';
import { READ_MODEL_PROJECTION } from '@app/read-models';

export interface ProjectorStatus {
  /** The projector is active: from now on /ready asks its store and read models. */
  activate(store: EventStore, readModels: SqlQueryable): void;
  close(): Promise<void>;
}

const STANDBY: ReadinessCheck = {
  name: 'projector_lock',
  probe: () => Promise.reject(new CheckFailed('standby: another projector is active')),
};

/** Undefined when `observability.status.projector-port` is false. */
export async function startProjectorStatus(
  config: DuffyConfig,
  log: (line: string) => void,
): Promise<ProjectorStatus | undefined> {
  const port = config.observability.status.ports.projector;
  if (port === null) return undefined;
  let checks: ReadinessCheck[] = [STANDBY];
  const server: StatusServer | undefined = await startStatusServerOrWarn(
    {
      host: config.observability.status.host,
      port,
      service: 'projector',
      checks: () => checks,
    },
    log,
  );
  if (!server) return undefined;
  log(`status (/health, /ready, /metrics) on ${server.url}`);
  return {
    activate: (store, readModels) => {
      checks = [
        eventStoreCheck(store),
        readModelsCheck(readModels),
        projectionLagCheck({
          store,
          checkpoint: async () => {
            const rows = (await readModels.query(
              'SELECT position FROM projection_checkpoints WHERE name = $1',
              [READ_MODEL_PROJECTION],
            )) as { position: string }[];
            return rows.length === 0 ? 0 : Number(rows[0].position);
          },
          maxLagMs: config.observability.ready.maxProjectionLagMs,
        }),
      ];
    },
    close: () => server.close(),
  };
}
