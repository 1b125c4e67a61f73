import type { SessionNodeBody } from '../../../../libs/contracts/src/rest/bodies.js';
import type { NodeSpec } from '../client/node-specs.js';
import type { PoolLevels, QueueStanding, SessionFailure } from '../client/request-phase.js';
import type { TimelineEntry } from '../client/audit/timeline-text.js';

export type { NodeSpec, PoolLevels, QueueStanding, SessionFailure };

export interface PoolSummary {
  name: string;
  fillLevel: number | null;
}

/** A pool with its node counts by state (`GET /pools/NAME`); levels missing if unreadable. */
export interface PoolStatus extends PoolSummary {
  levels?: PoolLevels;
}

/** What the TUI shows of a session's node; `state` is null unless the session is active. */
export type SessionNode = Pick<SessionNodeBody, 'hostname' | 'ipaddr' | 'pool' | 'state'>;

export interface SessionInfo {
  id: number;
  active: boolean;
  /** ISO 8601 UTC, or null for a session that never expires. */
  expiresAt: string | null;
  /** What was requested (the session's `data.nodes_specs`). */
  specs: NodeSpec[];
  nodes: SessionNode[];
  /** `queued`, `active`, `failed`, …; undefined from a server that does not say. */
  state?: string;
  /** Its place in line, while queued. */
  queue?: QueueStanding;
  /** Why it failed, when it did. */
  failure?: SessionFailure;
}

export interface SessionRequestOptions {
  /** How long the request may wait in line (a delta such as `10m`); none: refused at once. */
  wait?: string;
}

/** One event of a history, as the History screen shows it (`duffy audit` prints the same). */
export type HistoryEntry = TimelineEntry;

/**
 * What the TUI needs of the Duffy REST API, small so tests can hand in a fake. Failures are
 * thrown as the client's ApiError / UnreachableError.
 */
export interface DuffyApi {
  listPools(): Promise<PoolSummary[]>;
  showPool(name: string): Promise<PoolStatus>;
  /** The caller's sessions that are not retired (queued ones too). */
  listSessions(): Promise<SessionInfo[]>;
  /**
   * Resolves when the API answers, which may take until the nodes are contextualized; with a
   * wait and too few nodes ready, at once with the session `queued`.
   */
  requestSession(specs: NodeSpec[], options?: SessionRequestOptions): Promise<SessionInfo>;
  /** One session, also a queued, failed or retired one. */
  showSession(id: number): Promise<SessionInfo>;
  /** `delta` is a signed API delta such as `+1h`. */
  extendSession(id: number, delta: string): Promise<SessionInfo>;
  retireSession(id: number): Promise<SessionInfo>;
  /** The session's events with its nodes', allotments' and runs', in log order. */
  sessionTimeline(id: number): Promise<HistoryEntry[]>;
  /** A node's events; `node` is its id or hostname. */
  nodeHistory(node: string): Promise<HistoryEntry[]>;
}
