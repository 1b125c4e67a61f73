// The REST v1 answer bodies (compat §1.4) as plain types: clients (the CLI, the metaclient)
// `import type` them without loading a decorator library. No imports, so any tsconfig can read it.

/** Every error answer. */
export interface ProblemBody {
  detail: string;
  code: string;
}

export interface TenantBody {
  id: number;
  name: string;
  is_admin: boolean;
  /** Reads every history and changes nothing (not in the original). */
  is_auditor: boolean;
  /** Masked unless the caller may see it. */
  ssh_key: string;
  node_quota: number | null;
  session_lifetime: number | null;
  session_lifetime_max: number | null;
  effective_node_quota: number;
  effective_session_lifetime: number;
  effective_session_lifetime_max: number;
  created_at: string;
  retired_at: string | null;
  active: boolean;
}

/** A node as part of a session. */
export interface SessionNodeBody {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  comment: string | null;
  pool: string | null;
  reusable: boolean;
  data: Record<string, unknown>;
  /** The node's state while its session is active, else null. */
  state: string | null;
}

export interface NodesSpecBody {
  pool: string;
  quantity: number;
}

export interface SessionBody {
  id: number;
  tenant: TenantBody;
  /** ISO 8601 UTC, or null for a session that never expires. */
  expires_at: string | null;
  /** What was requested: `nodes_specs`. */
  data: { nodes_specs?: NodesSpecBody[] } & Record<string, unknown>;
  nodes: SessionNodeBody[];
  created_at: string;
  retired_at: string | null;
  active: boolean;
  /** Where the session is in its life (not in the original): `queued` waits for its nodes. */
  state: SessionStateName;
  /** Only while queued: its place in line. */
  queue?: QueueStandingBody;
  /** Only when failed: why, with the numbers behind it. */
  failure?: SessionFailureBody;
}

export type SessionStateName =
  'requested' | 'queued' | 'allocated' | 'active' | 'retired' | 'failed';

/** A queued request's place in line (docs/domain.md "Queued requests"). */
export interface QueueStandingBody {
  /** 1 + the requests ahead of it that want a node of one of its pools. */
  position: number;
  /** Nodes of its pools the requests ahead want. */
  ahead_nodes: number;
  /** Estimate (ISO 8601 UTC) from the pools' recent rate of nodes made ready; null if unknown. */
  eta: string | null;
  /** When the wait ends in `deadline_passed` (ISO 8601 UTC). */
  deadline: string;
}

export interface SessionFailureBody {
  /** `deadline_passed`, `pool_exhausted`, `quota_exceeded`, `contextualization_failed`, ... */
  code: string;
  detail: string;
  /** e.g. `{pool, requested, ready, queued_ahead}` or `{quota, in_use, requested}`. */
  facts?: Record<string, unknown>;
}

export interface NodeBody {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  comment: string | null;
  pool: string | null;
  reusable: boolean;
  data: Record<string, unknown>;
  state: string;
  created_at: string;
  retired_at: string | null;
  active: boolean;
  /** Why an admin took the node out of service; null: in service (not in the original). */
  maintenance: string | null;
}

/** One node `POST /nodes/purge-stale` cleaned (`unused`) or retired (not in the original). */
export interface PurgedNodeBody {
  id: number;
  hostname: string | null;
  pool: string | null;
  /** The state it was stuck in, and since when. */
  state: string;
  since: string;
  action: 'unused' | 'retired';
}

/** A pool as `GET /pools` lists it: the original's concise form, dash included. */
export interface PoolSummaryBody {
  name: string;
  'fill-level': number;
}

/** Node counts of a pool by state. */
export interface PoolLevelsBody {
  provisioning: number;
  ready: number;
  contextualizing: number;
  deployed: number;
  deprovisioning: number;
}

export interface PoolBody extends PoolSummaryBody {
  levels: PoolLevelsBody;
}

/** A provisioner run (`GET /runs`); not in the original. */
export interface RunBody {
  id: string;
  pool: string;
  kind: string;
  status: string;
  nodes: number[];
  playbook: string | null;
  instance: string;
  started_at: string;
  finished_at: string | null;
  /** Seconds; null while running. */
  duration: number | null;
  exit_code: number | null;
  timed_out: boolean;
  reason: string | null;
  output_tail: string | null;
}

/** The original wraps every success in `{"action": …, <name>: …}`. */
export type Answer<Action extends string, Name extends string, Body> = {
  action: Action;
} & Record<Name, Body>;

export type SessionAnswer = Answer<'get' | 'post' | 'put', 'session', SessionBody>;
export type SessionListAnswer = Answer<'get', 'sessions', SessionBody[]>;
export type NodeAnswer = Answer<'get' | 'post' | 'put' | 'delete', 'node', NodeBody>;
export type NodeListAnswer = Answer<'get', 'nodes', NodeBody[]>;
export type PurgeStaleAnswer = Answer<'post', 'purged', PurgedNodeBody[]>;
export type TenantAnswer = Answer<'get' | 'post' | 'put' | 'delete', 'tenant', TenantBody>;
export type TenantListAnswer = Answer<'get', 'tenants', TenantBody[]>;
export type PoolAnswer = Answer<'get', 'pool', PoolBody>;
export type PoolListAnswer = Answer<'get', 'pools', PoolSummaryBody[]>;
export type RunAnswer = Answer<'get', 'run', RunBody>;
export type RunListAnswer = Answer<'get', 'runs', RunBody[]>;

/** Who did something, as history shows it. */
export type ActorKind = 'tenant' | 'admin' | 'provisioner' | 'expiry' | 'reconciler' | 'system';

/** One event of the log as the auditors' endpoints show it (not in the original). */
export interface HistoryEntryBody {
  /** Global position in the log: the cursor of `GET /events` and the SSE id. */
  position: number;
  stream: string;
  /** Revision inside the stream, from 0. */
  revision: number;
  /** When the store recorded it, ISO 8601 UTC. */
  time: string;
  type: string;
  /** Tenant name, or `provisioner`, `expiry`, `reconciler`, `system`. */
  actor: string;
  actor_kind: ActorKind;
  correlation_id: string | null;
  /** One line for a person: `node 3 reserved for session 12`. */
  summary: string;
  /** The event's data as recorded (an API key's bcrypt hash masked). */
  data: Record<string, unknown>;
}

/** `GET /{sessions,nodes,tenants,pools}/{id}/history`, `GET /sessions/{id}/timeline`. */
export interface HistoryAnswer {
  action: 'get';
  history: HistoryEntryBody[];
}

/** `GET /events`: one page of the log; pass `next_after` as `after` for the next one. */
export interface EventPageAnswer {
  action: 'get';
  events: HistoryEntryBody[];
  /** The position to continue after (the last one returned, or `after` when none matched). */
  next_after: number;
}

/** One interval in which a session held a node (`GET /nodes/{id}/holders`). */
export interface NodeHoldingBody {
  node_id: number;
  hostname: string | null;
  session_id: number;
  tenant: string;
  /** The tenant's ssh public key when the node was reserved for the session. */
  ssh_key: string | null;
  /** Reserved at, ISO 8601 UTC. */
  from: string;
  /** Released from the session at (deprovisioning started, released or failed); null: still held. */
  to: string | null;
}

export type NodeHoldingListAnswer = Answer<'get', 'holders', NodeHoldingBody[]>;

/** One `data:` line of `GET /sessions/{id}/events` for a log event (SSE `id:` = position). */
export type SessionStreamEventBody = HistoryEntryBody & {
  /** The session's state once this event happened. */
  state: SessionStateName;
};
