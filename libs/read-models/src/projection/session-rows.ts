import type { SessionEvent } from '@app/domain';
import { duplicateKey } from './row-errors';
import type { Conversions, SessionRow } from './rows';

/**
 * `sessions` rows, one event at a time. A failed session is kept (W-C9) and reads as retired
 * at its failure. Pure: `session` is the row as the events before left it (undefined: none),
 * the result the row after. `sessions_nodes` rows are made by the page fold (NodesAllocated
 * snapshots the nodes as they are at that point of the log, W-C25).
 */
export function evolveSession(
  session: SessionRow | undefined,
  event: SessionEvent,
  convert: Conversions,
  tenantIdOf: (name: string) => number | undefined,
): SessionRow | undefined {
  if (event.type === 'SessionRequested') {
    const d = event.data;
    const data = { nodes_specs: d.specs.map((s) => ({ quantity: s.quantity, pool: s.pool })) };
    const tenantId = tenantIdOf(d.tenant);
    if (tenantId === undefined) return session; // no such tenant: no row, as before
    if (session) throw duplicateKey('sessions_pkey', `(id)=(${d.sessionId})`);
    return {
      id: d.sessionId,
      tenant_id: tenantId,
      expires_at: convert.utc(d.expiresAt),
      data: JSON.stringify(data),
      created_at: convert.utc(d.createdAt),
      retired_at: null,
      status: 'requested',
      requested_by: d.requestedBy,
      retired_by: null,
      failure_reason: null,
      failure_detail: null,
    };
  }
  if (!session) return session;
  switch (event.type) {
    case 'SessionQueued':
      return { ...session, status: 'queued' };
    case 'NodesAllocated':
      return { ...session, status: 'allocated' };
    case 'SessionActivated':
      return { ...session, status: 'active' };
    case 'SessionExtended':
      return { ...session, expires_at: convert.utc(event.data.expiresAt) };
    case 'SessionRetired':
      return {
        ...session,
        status: 'retired',
        retired_by: event.data.by,
        retired_at: session.retired_at ?? convert.utc(event.data.at),
      };
    case 'SessionFailed':
      return {
        ...session,
        status: 'failed',
        failure_reason: event.data.reason,
        failure_detail: event.data.detail,
        retired_at: session.retired_at ?? convert.utc(event.data.at),
      };
  }
}

export function sessionInstants(event: SessionEvent): unknown[] {
  switch (event.type) {
    case 'SessionRequested':
      return [event.data.expiresAt, event.data.createdAt];
    case 'SessionExtended':
      return [event.data.expiresAt];
    case 'SessionRetired':
    case 'SessionFailed':
      return [event.data.at];
    default:
      return [];
  }
}

/**
 * `sum((spec->>'quantity')::int)` over the session's `nodes_specs` of `pool`, 0 when none (or
 * no session): how the per-event statement read a session's spec for a reserved node.
 */
export function requestedOf(session: SessionRow | undefined, pool: string): number {
  if (!session) return 0;
  const specs = (JSON.parse(session.data) as { nodes_specs?: unknown }).nodes_specs;
  if (specs === undefined) return 0;
  if (!Array.isArray(specs)) throw new Error('cannot extract elements from a scalar or object');
  let sum: number | null = null;
  for (const spec of specs) {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) continue;
    const s = spec as { pool?: unknown; quantity?: unknown };
    if (jsonText(s.pool) !== pool) continue;
    const quantity = jsonText(s.quantity);
    if (quantity === null) continue;
    if (!/^\s*[+-]?\d+\s*$/.test(quantity)) {
      throw new Error(`invalid input syntax for type integer: "${quantity}"`);
    }
    sum = (sum ?? 0) + Number(quantity);
  }
  if (sum !== null && (sum > 2 ** 31 - 1 || sum < -(2 ** 31))) {
    throw new Error('integer out of range');
  }
  return sum ?? 0;
}

/** `json ->> key`: a string as itself, null as SQL NULL, anything else as its JSON text. */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
