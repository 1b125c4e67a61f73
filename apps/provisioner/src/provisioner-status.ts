// The provisioner's status port: ready while its event store and NATS answer.
import type { DuffyConfig } from '@app/config';
import type { EventStore } from '@app/event-store';
import {
  NatsPinger,
  StatusServer,
  eventStoreCheck,
  natsCheck,
  startStatusServerOrWarn,
} from '@app/observability';

/** Undefined when `observability.status.provisioner-port` is false. */
export async function startProvisionerStatus(
  config: DuffyConfig,
  store: EventStore,
  nats: NatsPinger,
  log: (line: string) => void,
): Promise<StatusServer | undefined> {
  const port = config.observability.status.ports.provisioner;
  if (port === null) return undefined;
  return startStatusServerOrWarn(
    {
      host: config.observability.status.host,
      port,
      service: 'provisioner',
      checks: [eventStoreCheck(store), natsCheck(nats)],
    },
    log,
  );
}
