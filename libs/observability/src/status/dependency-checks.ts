// The checks the api and the services share, written against the smallest shape of each
// dependency so this leaf library imports none of the other libs.

import { CheckFailed, ReadinessCheck } from './readiness-check';

/** The part of the EventStore port a check uses. */
export interface EventLogReader {
  readAll(options: {
    after?: number;
    maxCount?: number;
  }): Promise<readonly { position: number; timestamp: Date }[]>;
}

/** A SQL connection (a TypeORM DataSource, a pg Pool) a check can run a query on. */
export interface SqlQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The event store answers a read (one past the end of the log: no rows, still a round trip). */
export function eventStoreCheck(store: EventLogReader): ReadinessCheck {
  return {
    name: 'event_store',
    probe: async () => {
      await store.readAll({ after: Number.MAX_SAFE_INTEGER, maxCount: 1 });
    },
  };
}

/** The read-model database answers `SELECT 1`. */
export function readModelsCheck(db: SqlQueryable): ReadinessCheck {
  return {
    name: 'read_models',
    probe: async () => {
      await db.query('SELECT 1');
    },
  };
}

/** The part of a NATS connection (nats.js v3) a check uses. */
export interface NatsPinger {
  rtt(): Promise<number>;
}

/** The NATS server answers a ping. */
export function natsCheck(nats: NatsPinger): ReadinessCheck {
  return {
    name: 'nats',
    probe: async () => ({ rtt_ms: Math.round((await nats.rtt()) * 10) / 10 }),
  };
}

export interface ProjectionLagOptions {
  store: EventLogReader;
  /** Position of the last event the projection applied. */
  checkpoint(): Promise<number>;
  maxLagMs: number;
  now?: () => number;
}

/**
 * How long the oldest event the projection has not applied yet has been in the log (0 when it
 * is caught up): down beyond `maxLagMs`. Events behind by position alone are normal for a
 * moment; waiting events are what makes answers stale.
 */
export function projectionLagCheck(options: ProjectionLagOptions): ReadinessCheck {
  const now = options.now ?? Date.now;
  return {
    name: 'projection_lag',
    probe: async () => {
      const checkpoint = await options.checkpoint();
      const [next] = await options.store.readAll({ after: checkpoint, maxCount: 1 });
      const lagMs = next ? Math.max(0, now() - next.timestamp.getTime()) : 0;
      const details = {
        lag_seconds: Math.round(lagMs / 100) / 10,
        max_lag_seconds: options.maxLagMs / 1000,
        checkpoint,
      };
      if (lagMs > options.maxLagMs) {
        throw new CheckFailed(
          `the read models are ${details.lag_seconds} s behind the event log (max ${details.max_lag_seconds} s)`,
          details,
        );
      }
      return details;
    },
  };
}

/** A service's upstream HTTP endpoint answers (any status below 500). */
export function httpReachableCheck(name: string, url: string): ReadinessCheck {
  return {
    name,
    probe: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 2_000);
      timer.unref();
      try {
        const res = await fetch(url, { signal: controller.signal });
        await res.body?.cancel();
        if (res.status >= 500)
          throw new CheckFailed(`${new URL(url).origin} answered ${res.status}`);
        return { http_status: res.status };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
