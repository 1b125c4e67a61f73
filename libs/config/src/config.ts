// Raw merged tree → typed DuffyConfig, applying defaults. Lenient: it also runs on invalid
// config (problems are reported separately), using defaults where a value is unusable.
import * as path from 'path';
import { natsServerList } from './nats-servers';
import { parseConfigDelta } from './delta';
import { Mapping, isMapping } from './merge';
import { buildObservability } from './observability-config';
import type {
  AppConfig,
  ClientConfig,
  DatabaseConfig,
  DefaultsConfig,
  EventStoreConfig,
  MetaclientConfig,
  NodePool,
  ObservabilityConfig,
  PoolmapEntry,
  RetriesConfig,
  TasksConfig,
} from './model';
import type { EventStoreType } from './schema/database.schema';
import { LOGLEVELS, LogLevel } from './schema/decorators';

export const DEFAULT_APP_HOST = '127.0.0.1';
export const DEFAULT_APP_PORT = 8080;
export const DEFAULT_METACLIENT_HOST = '127.0.0.1';
export const DEFAULT_METACLIENT_PORT = 9090;
export const DEFAULT_SESSION_WAIT_MS = 60_000;
export const DEFAULT_INTERVAL_MS = 300_000;
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export class DuffyConfig {
  constructor(
    readonly raw: Mapping,
    readonly app: AppConfig,
    readonly tasks: TasksConfig,
    /** All pools in config order: abstract first, then concrete. */
    readonly pools: NodePool[],
    readonly client?: ClientConfig,
    readonly metaclient?: MetaclientConfig,
    readonly database?: DatabaseConfig,
    readonly eventstore?: EventStoreConfig,
    readonly defaults?: DefaultsConfig,
  ) {}

  private observabilityConfig?: ObservabilityConfig;

  /** Status ports and the readiness rule, defaults applied (derived from `raw`). */
  get observability(): ObservabilityConfig {
    return (this.observabilityConfig ??= buildObservability(this.raw));
  }

  concretePools(): NodePool[] {
    return this.pools.filter((p) => p.kind === 'concrete');
  }

  /** Concrete pools with a fill-level: the ones GET /pools lists and the filler keeps full. */
  filledPools(): NodePool[] {
    return this.concretePools().filter((p) => p.fillLevel !== undefined);
  }

  /** A concrete pool by name (abstract pools are not real pools). */
  pool(name: string): NodePool | undefined {
    return this.pools.find((p) => p.kind === 'concrete' && p.name === name);
  }
}

const m = (v: unknown): Mapping => (isMapping(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown, fallback: number): number =>
  Number.isInteger(v) ? (v as number) : fallback;
const level = (v: unknown): LogLevel =>
  (LOGLEVELS as readonly unknown[]).includes(v) ? (v as LogLevel) : 'info';
const logging = (v: unknown): Record<string, unknown> | undefined => (isMapping(v) ? v : undefined);

/** Off unless the section is there (an empty mapping takes the defaults: 10m, 2h). */
function purgeStaleNodes(v: unknown): TasksConfig['purgeStaleNodes'] {
  if (!isMapping(v)) return undefined;
  return {
    intervalMs: delta(v.interval, 10 * 60_000),
    olderThanMs: delta(v['older-than'], 2 * 3_600_000),
  };
}

function delta(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  try {
    return parseConfigDelta(v);
  } catch {
    return fallback;
  }
}

function retries(v: unknown): RetriesConfig {
  const r = m(v);
  const out: RetriesConfig = {};
  const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
  if (num(r['no-attempts']) !== undefined) out.noAttempts = num(r['no-attempts']);
  if (num(r['delay-min']) !== undefined) out.delayMin = num(r['delay-min']);
  if (num(r['delay-max']) !== undefined) out.delayMax = num(r['delay-max']);
  if (num(r['delay-backoff-factor']) !== undefined) {
    out.delayBackoffFactor = num(r['delay-backoff-factor']);
  }
  if (num(r['delay-add-fuzz']) !== undefined) out.delayAddFuzz = num(r['delay-add-fuzz']);
  return out;
}

/** `postgresql+psycopg2:///duffy` → `postgresql:///duffy` (SQLAlchemy driver suffix dropped). */
export function stripDriver(url: string): string {
  return url.replace(/^([a-z][a-z0-9]*)\+[a-z0-9_]+:/i, '$1:');
}

export function databaseUrl(raw: Mapping): string | undefined {
  const db = raw.database;
  if (!isMapping(db)) return undefined;
  const url = str(db.url);
  if (url) return url;
  const sync = str(m(db.sqlalchemy).sync_url);
  return sync ? stripDriver(sync) : undefined;
}

export function buildConfig(raw: Mapping, pools: NodePool[]): DuffyConfig {
  const defaultsRaw = raw.defaults;
  const defaults: DefaultsConfig | undefined = isMapping(defaultsRaw)
    ? {
        sessionLifetimeMs: delta(defaultsRaw['session-lifetime'], 0),
        sessionLifetimeMaxMs: delta(defaultsRaw['session-lifetime-max'], 0),
        nodeQuota: int(defaultsRaw['node-quota'], 0),
        retries: retries(defaultsRaw.retries),
      }
    : undefined;

  const a = m(raw.app);
  const app: AppConfig = {
    host: str(a.host) ?? DEFAULT_APP_HOST,
    port: int(a.port, DEFAULT_APP_PORT),
    loglevel: level(a.loglevel),
    logging: logging(a.logging),
    // app.retries overrides defaults.retries key by key, as in the original.
    retries: { ...(defaults?.retries ?? {}), ...retries(a.retries) },
    sessionWaitMs: delta(a['session-wait'], DEFAULT_SESSION_WAIT_MS),
  };

  const t = m(raw.tasks);
  const periodic = m(t.periodic);
  const tasks: TasksConfig = {
    fillPoolsIntervalMs: delta(m(periodic['fill-pools']).interval, DEFAULT_INTERVAL_MS),
    expireSessionsIntervalMs: delta(m(periodic['expire-sessions']).interval, DEFAULT_INTERVAL_MS),
    natsUrl: str(m(t.nats).url) ?? DEFAULT_NATS_URL,
    natsServers: natsServerList(str(m(t.nats).url) ?? DEFAULT_NATS_URL) ?? [DEFAULT_NATS_URL],
    natsReplicas: int(m(t.nats).replicas, 1),
    purgeStaleNodes: purgeStaleNodes(periodic['purge-stale-nodes']),
  };

  const c = raw.client;
  const client: ClientConfig | undefined = isMapping(c)
    ? {
        url: str(c.url) ?? '',
        auth: { name: str(m(c.auth).name) ?? '', key: str(m(c.auth).key) ?? '' },
      }
    : undefined;

  const mc = raw.metaclient;
  const metaclient: MetaclientConfig | undefined = isMapping(mc)
    ? {
        host: str(mc.host) ?? DEFAULT_METACLIENT_HOST,
        port: int(mc.port, DEFAULT_METACLIENT_PORT),
        dest: str(mc.dest),
        loglevel: level(mc.loglevel),
        logging: logging(mc.logging),
        usermap: m(mc.usermap) as Record<string, string>,
        poolmap: (Array.isArray(mc.poolmap) ? mc.poolmap : []).filter(isMapping).map((e) => ({
          pool: String(e.pool ?? ''),
          ...(str(e.ver) !== undefined ? { ver: str(e.ver) } : {}),
          ...(str(e.arch) !== undefined ? { arch: str(e.arch) } : {}),
          ...(str(e.flavor) !== undefined ? { flavor: str(e.flavor) } : {}),
        })) as PoolmapEntry[],
        mangleHostname: str(mc.mangle_hostname),
        ...(isMapping(mc.auth)
          ? { auth: { name: str(mc.auth.name) ?? '', key: str(mc.auth.key) ?? '' } }
          : {}),
      }
    : undefined;

  const dbUrl = databaseUrl(raw);
  const database: DatabaseConfig | undefined = dbUrl ? { url: dbUrl } : undefined;

  let eventstore: EventStoreConfig | undefined;
  if (isMapping(raw.eventstore)) {
    const es = raw.eventstore;
    const type = (str(es.type) ?? 'postgres') as EventStoreType;
    const esPath = str(es.path);
    eventstore = {
      type,
      url: str(es.url) ?? (type === 'postgres' ? dbUrl : undefined),
      // pglite data folders are relative to the working directory (like `duffy dev`'s ./.duffy).
      path: esPath ? path.resolve(esPath) : undefined,
    };
  } else if (dbUrl) {
    eventstore = { type: 'postgres', url: dbUrl };
  }

  return new DuffyConfig(
    raw,
    app,
    tasks,
    pools,
    client,
    metaclient,
    database,
    eventstore,
    defaults,
  );
}
