// `observability` raw → typed: status servers of the services run apart, the readiness rule.
import { parseConfigDelta } from './delta';
import { Mapping, isMapping } from './merge';
import type { ObservabilityConfig, StatusService } from './model';

export const DEFAULT_STATUS_HOST = '127.0.0.1';
export const DEFAULT_STATUS_PORTS: Readonly<Record<StatusService, number>> = {
  projector: 9464,
  provisioner: 9465,
  metaclient: 9466,
};
export const DEFAULT_MAX_PROJECTION_LAG_MS = 30_000;

const m = (v: unknown): Mapping => (isMapping(v) ? v : {});

/** Lenient like buildConfig: an unusable value falls back to the default (problems are separate). */
function statusPort(v: unknown, fallback: number): number | null {
  if (v === false) return null;
  if (Number.isInteger(v) && (v as number) > 0 && (v as number) <= 65535) return v as number;
  return fallback;
}

export function buildObservability(raw: Mapping): ObservabilityConfig {
  const o = m(raw.observability);
  const status = m(o.status);
  let maxProjectionLagMs = DEFAULT_MAX_PROJECTION_LAG_MS;
  const lag = m(o.ready)['max-projection-lag'];
  if (lag !== undefined && lag !== null) {
    try {
      maxProjectionLagMs = parseConfigDelta(lag);
    } catch {
      // reported by the schema
    }
  }
  const ports = Object.fromEntries(
    (Object.keys(DEFAULT_STATUS_PORTS) as StatusService[]).map((s) => [
      s,
      statusPort(status[`${s}-port`], DEFAULT_STATUS_PORTS[s]),
    ]),
  ) as Record<StatusService, number | null>;
  return {
    status: {
      host:
        typeof status.host === 'string' && status.host !== '' ? status.host : DEFAULT_STATUS_HOST,
      ports,
    },
    ready: { maxProjectionLagMs },
  };
}
