// The metaclient's status port: ready while the api it forwards to is ready itself.
import type { DuffyConfig } from '@app/config';
import { StatusServer, httpReachableCheck, startStatusServerOrWarn } from '@app/observability';

/** Undefined when `observability.status.metaclient-port` is false. */
export async function startMetaclientStatus(
  config: DuffyConfig,
  dest: string,
  log: (line: string) => void,
): Promise<StatusServer | undefined> {
  const port = config.observability.status.ports.metaclient;
  if (port === null) return undefined;
  return startStatusServerOrWarn(
    {
      host: config.observability.status.host,
      port,
      service: 'metaclient',
      checks: [httpReachableCheck('upstream_api', `${dest.replace(/\/+$/, '')}/api/v1/ready`)],
    },
    log,
  );
}
