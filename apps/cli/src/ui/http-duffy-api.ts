import type {
  HistoryEntryBody,
  NodesSpecBody,
  PoolBody,
  PoolSummaryBody,
  SessionBody,
  SessionNodeBody,
} from '../../../../libs/contracts/src/rest/bodies.js';
import { callApi, REQUEST_TIMEOUT_MS } from '../client/api-client.js';
import type { ClientSettings } from '../client/settings.js';
import type {
  DuffyApi,
  HistoryEntry,
  PoolLevels,
  PoolStatus,
  PoolSummary,
  QueueStanding,
  SessionFailure,
  SessionInfo,
  SessionNode,
} from './duffy-api.js';

type Json = Record<string, unknown>;
/** What an answer may hold: the contract's fields, each read defensively. */
type Unchecked<T> = { [K in keyof T]?: unknown };

/**
 * The POST /sessions timeout: the API itself may wait up to `app.session-wait` (60 s by
 * default) for the nodes before it answers, so the client waits longer than that.
 */
export const SESSION_REQUEST_TIMEOUT_MS = 2 * REQUEST_TIMEOUT_MS;

/**
 * The DuffyApi over HTTP, with the same requests `duffy client` sends. `readTimeoutMs` bounds
 * the reads the screen refreshes with; changes use the client's timeouts.
 */
export function httpDuffyApi(
  settings: ClientSettings,
  readTimeoutMs = REQUEST_TIMEOUT_MS,
): DuffyApi {
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, expected: number, body?: unknown) => {
    const timeout = method === 'GET' ? readTimeoutMs : REQUEST_TIMEOUT_MS;
    return callApi(settings, method, path, expected, body, timeout);
  };
  const sessionPath = (id: number) => `/sessions/${encodeURIComponent(String(id))}`;
  return {
    async listPools() {
      const answer = await call('GET', '/pools', 200);
      return asList(answer.pools).map(poolSummary);
    },
    async showPool(name) {
      const answer = await call('GET', `/pools/${encodeURIComponent(name)}`, 200);
      return poolStatus(asObject(answer.pool));
    },
    async listSessions() {
      const answer = await call('GET', '/sessions', 200);
      return asList(answer.sessions).map(sessionInfo);
    },
    async requestSession(specs, options = {}) {
      const wait = options.wait === undefined ? {} : { wait: options.wait };
      const body = { tenant_id: null, nodes_specs: specs, ...wait };
      // 202: queued, with a wait given and too few nodes ready.
      const answer = await callApi(
        settings,
        'POST',
        '/sessions',
        [201, 202],
        body,
        SESSION_REQUEST_TIMEOUT_MS,
      );
      return sessionInfo(asObject(answer.session));
    },
    async showSession(id) {
      return sessionInfo(asObject((await call('GET', sessionPath(id), 200)).session));
    },
    async extendSession(id, delta) {
      const answer = await call('PUT', sessionPath(id), 200, { expires_at: delta });
      return sessionInfo(asObject(answer.session));
    },
    async retireSession(id) {
      const body = { active: false, expires_at: null };
      return sessionInfo(asObject((await call('PUT', sessionPath(id), 200, body)).session));
    },
    async sessionTimeline(id) {
      const answer = await call('GET', `${sessionPath(id)}/timeline`, 200);
      return asList<HistoryEntryBody>(answer.history).map(historyEntry);
    },
    async nodeHistory(node) {
      const answer = await call('GET', `/nodes/${encodeURIComponent(node)}/history`, 200);
      return asList<HistoryEntryBody>(answer.history).map(historyEntry);
    },
  };
}

function poolSummary(pool: Unchecked<PoolSummaryBody>): PoolSummary {
  const fill = pool['fill-level'];
  return { name: String(pool.name), fillLevel: typeof fill === 'number' ? fill : null };
}

function poolStatus(pool: Unchecked<PoolBody>): PoolStatus {
  const levels = pool.levels as PoolLevels | undefined;
  return { ...poolSummary(pool), levels: levels ?? undefined };
}

function sessionInfo(session: Unchecked<SessionBody>): SessionInfo {
  const data = asObject(session.data);
  return {
    id: Number(session.id),
    active: session.active !== false,
    expiresAt: typeof session.expires_at === 'string' ? session.expires_at : null,
    specs: asList<NodesSpecBody>(data.nodes_specs).map((s) => ({
      pool: String(s.pool),
      quantity: Number(s.quantity),
    })),
    nodes: asList<SessionNodeBody>(session.nodes).map((n): SessionNode => ({
      hostname: textOrNull(n.hostname),
      ipaddr: textOrNull(n.ipaddr),
      pool: textOrNull(n.pool),
      state: textOrNull(n.state),
    })),
    ...(typeof session.state === 'string' ? { state: session.state } : {}),
    ...(isObject(session.queue) ? { queue: session.queue as QueueStanding } : {}),
    ...(isObject(session.failure) ? { failure: session.failure as SessionFailure } : {}),
  };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function historyEntry(entry: Unchecked<HistoryEntryBody>): HistoryEntry {
  return {
    position: Number(entry.position),
    time: String(entry.time ?? ''),
    stream: String(entry.stream ?? '?'),
    actor: String(entry.actor ?? '?'),
    actor_kind: String(entry.actor_kind ?? '?') as HistoryEntry['actor_kind'],
    summary: String(entry.summary ?? entry.type ?? ''),
  };
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function asList<T = Json>(value: unknown): Unchecked<T>[] {
  return Array.isArray(value) ? value.map((v) => asObject(v) as Unchecked<T>) : [];
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
