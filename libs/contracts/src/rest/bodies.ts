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
export type TenantAnswer = Answer<'get' | 'post' | 'put' | 'delete', 'tenant', TenantBody>;
export type TenantListAnswer = Answer<'get', 'tenants', TenantBody[]>;
export type PoolAnswer = Answer<'get', 'pool', PoolBody>;
export type PoolListAnswer = Answer<'get', 'pools', PoolSummaryBody[]>;
export type RunAnswer = Answer<'get', 'run', RunBody>;
export type RunListAnswer = Answer<'get', 'runs', RunBody[]>;
