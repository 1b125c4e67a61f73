// The typed, normalised configuration the apps use (times in milliseconds, defaults applied).
import type { EventStoreType } from './schema/database.schema';
import type { LogLevel } from './schema/decorators';

export interface RetriesConfig {
  noAttempts?: number;
  delayMin?: number;
  delayMax?: number;
  delayBackoffFactor?: number;
  delayAddFuzz?: number;
}

export interface ClientConfig {
  url: string;
  auth: { name: string; key: string };
}

export interface AppConfig {
  host: string;
  port: number;
  loglevel: LogLevel;
  logging?: Record<string, unknown>;
  retries: RetriesConfig;
  /** How long POST /sessions waits for nodes. */
  sessionWaitMs: number;
}

export interface PoolmapEntry {
  pool: string;
  ver?: string;
  arch?: string;
  flavor?: string;
}

export interface MetaclientConfig {
  host: string;
  port: number;
  dest?: string;
  loglevel: LogLevel;
  logging?: Record<string, unknown>;
  usermap: Record<string, string>;
  poolmap: PoolmapEntry[];
  mangleHostname?: string;
  /** Admin credentials for the key-less `/Inventory` (REST v1 lists sessions only with them). */
  auth?: { name: string; key: string };
}

export interface TasksConfig {
  fillPoolsIntervalMs: number;
  expireSessionsIntervalMs: number;
  /** `tasks.nats.url` as given. */
  natsUrl: string;
  /** The servers it names (a cluster's, comma-separated). */
  natsServers: string[];
  /** `tasks.nats.replicas`: replicas of the JetStream streams Duffy creates. */
  natsReplicas: number;
  /** `tasks.periodic.purge-stale-nodes`; absent: the provisioner does not purge. */
  purgeStaleNodes?: { intervalMs: number; olderThanMs: number };
}

export interface DatabaseConfig {
  /** postgres URL of the read models (derived from sqlalchemy.sync_url when absent). */
  url: string;
}

export interface EventStoreConfig {
  type: EventStoreType;
  /** postgres / eventstoredb connection URL. */
  url?: string;
  /** pglite data directory (absolute). */
  path?: string;
}

export interface DefaultsConfig {
  sessionLifetimeMs: number;
  sessionLifetimeMaxMs: number;
  nodeQuota: number;
  retries: RetriesConfig;
}

export interface PlaybookConfig {
  playbook: string;
  extraVars: Record<string, unknown>;
}

export interface AnsibleMechanism {
  type: 'ansible';
  /** Absolute: relative paths are resolved against the file that set them. */
  topdir: string;
  extraVars: Record<string, unknown>;
  provision: PlaybookConfig;
  /** null: no deprovision run. */
  deprovision: PlaybookConfig | null;
}

export interface StaticHost {
  hostname: string;
  ipaddr: string;
}

export interface StaticMechanism {
  type: 'static';
  hosts: StaticHost[];
}

export type MechanismConfig = AnsibleMechanism | StaticMechanism;

export interface NodePool {
  name: string;
  kind: 'abstract' | 'concrete';
  /** Effective dict after inheritance (`name` set, `extends` removed): the template variables. */
  dict: Record<string, unknown>;
  fillLevel?: number;
  reuseNodes: false | Record<string, string | number>;
  runParallel: boolean;
  /** Set on every valid concrete pool; abstract pools may lack it. */
  mechanism?: MechanismConfig;
}

/** The services that run apart and answer /health, /ready and /metrics on a status port. */
export type StatusService = 'projector' | 'provisioner' | 'metaclient';

export interface ObservabilityConfig {
  status: {
    host: string;
    /** null: that service runs no status server (`false` in the file). */
    ports: Record<StatusService, number | null>;
  };
  ready: {
    /** /ready fails when the read models are further behind the event log than this. */
    maxProjectionLagMs: number;
  };
}
