import type {
  PoolLevelsBody,
  QueueStandingBody,
  SessionFailureBody,
} from '../../../../libs/contracts/src/rest/bodies.js';
import type { NodeSpec } from './node-specs.js';

/** A pool's node counts by state, as `GET /pools/NAME` reports them under `levels`. */
export type PoolLevels = PoolLevelsBody;

/** What the requester can observe while `POST /sessions` has not answered yet. */
export interface RequestObservation {
  /** Levels of each requested pool; a pool that could not be read is left out. */
  levels: Record<string, PoolLevels | undefined>;
  /** States of the new session's nodes, once the session shows up in the session list. */
  sessionNodeStates?: (string | null)[];
}

/** The spinner's frames, the same in `request-session` and the TUI. */
export const SPINNER_FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** `requesting 2 node(s) from demo-small` (or `from a, b` for several pools). */
export function requestSummary(specs: NodeSpec[]): string {
  const total = specs.reduce((sum, s) => sum + s.quantity, 0);
  const pools = [...new Set(specs.map((s) => s.pool))];
  return `requesting ${total} node(s) from ${pools.join(', ')}`;
}

/**
 * The phase a pending request is in, in words. The new session's own nodes are the best
 * evidence; before it is visible, the requested pools' contextualizing nodes stand in for them
 * (other tenants' requests may be counted too, which is why it says "in the pool").
 */
export function describeRequestPhase(observation: RequestObservation): string {
  const states = observation.sessionNodeStates;
  if (states && states.length > 0) return `waiting for nodes: ${countStates(states)}`;
  const pools = Object.values(observation.levels).filter((l): l is PoolLevels => !!l);
  if (pools.length === 0) return 'waiting for the API';
  const contextualizing = pools.reduce((sum, l) => sum + l.contextualizing, 0);
  const ready = pools.reduce((sum, l) => sum + l.ready, 0);
  if (contextualizing > 0) return `waiting for nodes: ${contextualizing} contextualizing`;
  return `reserving nodes (${ready} ready in the pool${pools.length > 1 ? 's' : ''})`;
}

/** `1 contextualizing, 2 deployed`, in first-seen order; a null state counts as `unknown`. */
export function countStates(states: (string | null)[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s ?? 'unknown', (counts.get(s ?? 'unknown') ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

/** A queued request's place in line, as `session.queue` and the `queue` SSE event give it. */
export type QueueStanding = QueueStandingBody;

/** Why a session failed, as `session.failure` gives it. */
export type SessionFailure = SessionFailureBody;

/**
 * `queued: position 2, 3 nodes ahead, eta 10:42 (deadline 10:50)`, the times in the user's
 * time zone (tests pass one); the date too when it is not today's.
 */
export function queueText(queue: QueueStanding, now: Date, timeZone?: string): string {
  const ahead = `${queue.ahead_nodes} node${queue.ahead_nodes === 1 ? '' : 's'} ahead`;
  const eta = queue.eta ? clockTime(queue.eta, now, timeZone) : 'unknown';
  const deadline = clockTime(queue.deadline, now, timeZone);
  return `queued: position ${queue.position}, ${ahead}, eta ${eta} (deadline ${deadline})`;
}

/** `deadline_passed: no node in time (pool=demo-small, requested=3, ready=1)`. */
export function failureText(failure: SessionFailure): string {
  const facts = Object.entries(failure.facts ?? {}).map(([k, v]) => `${k}=${factText(v)}`);
  return `${failure.code}: ${failure.detail}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

function factText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function clockTime(iso: string, now: Date, timeZone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const day = (d: Date) => d.toLocaleDateString('en-CA', { timeZone });
  const time = at.toLocaleTimeString('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return day(at) === day(now) ? time : `${day(at)} ${time}`;
}

/** What one event of a session's stream says (`data:` of `GET /sessions/{id}/events`). */
export interface SessionStreamEntry {
  type: string;
  summary?: string;
  state?: string;
  data?: Record<string, unknown>;
}

/** Shown already by the queued answer itself. */
const SAID_BY_THE_ANSWER = new Set([
  'SessionRequested',
  'SessionQueued',
  'SessionIdempotencyKeyClaimed',
]);

/**
 * One progress line for a session's event (`node 3 reserved for session 12 …`), the failure
 * with its reason and facts; undefined for the events the queued answer already told.
 */
export function streamEntryText(entry: SessionStreamEntry): string | undefined {
  if (typeof entry.type !== 'string' || SAID_BY_THE_ANSWER.has(entry.type)) return undefined;
  const d = entry.data ?? {};
  if (entry.type === 'SessionActivated') return `active: ${entry.summary ?? 'session active'}`;
  if (entry.type === 'SessionFailed') {
    const facts = typeof d.facts === 'object' && d.facts !== null ? d.facts : undefined;
    const failure = { code: String(d.reason ?? 'failed'), detail: String(d.detail ?? ''), facts };
    return `failed: ${failureText(failure as SessionFailure)}`;
  }
  return entry.summary || entry.type;
}
