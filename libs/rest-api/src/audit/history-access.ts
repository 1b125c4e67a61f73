import { eventsWithinSpans, nodeHoldings } from '@app/read-models';
import type { AuditEvent, Holding } from '@app/read-models';
import { readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { Problem } from '../http/problem';

/**
 * Who may read which history (issue 15), in one place. Admins and auditors read everything.
 * A tenant reads its own tenant stream and its own sessions' histories and timelines, and of a
 * node only the spans in which the node served one of its sessions (reservation to the end of
 * cleanup: `nodeHoldings`) — so a node's history tells it nothing of other tenants. What a
 * tenant may not read answers 403 whether it exists or not (W-S3), as `GET /sessions/{id}` does.
 */
export const forbidden = (): Problem => new Problem(403, 'forbidden', 'Forbidden');
export const notFound = (): Problem => new Problem(404, 'not_found', 'Not Found');

export function assertReadsEverything(caller: Caller): void {
  if (!readsEverything(caller)) throw forbidden();
}

/** The tenant a session's events say asked for it (it never changes). */
export function sessionOwner(sessionEvents: AuditEvent[]): string | undefined {
  const requested = sessionEvents.find((e) => e.type === 'SessionRequested');
  return (requested?.data as { tenant?: string } | undefined)?.tenant;
}

/** A session's history and timeline: its owner, admins and auditors. */
export function assertMayReadSession(caller: Caller, ownerName: string | undefined): void {
  if (!readsEverything(caller) && ownerName !== caller.name) throw forbidden();
}

/** The caller's own holdings of a node (all of them for admins and auditors). */
export function holdingsVisibleTo(caller: Caller, events: AuditEvent[]): Holding[] {
  const holdings = nodeHoldings(events);
  return readsEverything(caller) ? holdings : holdings.filter((h) => h.tenant === caller.name);
}

/** A node's events the caller may read (none: the caller decides what that answers). */
export function nodeEventsVisibleTo(caller: Caller, events: AuditEvent[]): AuditEvent[] {
  if (readsEverything(caller)) return events;
  const own = holdingsVisibleTo(caller, events);
  return own.length === 0 ? [] : eventsWithinSpans(events, own);
}

/**
 * Run events in a tenant's timeline without their output tail: a run's output may name hosts
 * of other tenants (W-S2; `GET /runs` is for admins and auditors only).
 */
export function withoutRunOutput(caller: Caller, events: AuditEvent[]): AuditEvent[] {
  if (readsEverything(caller)) return events;
  return events.map((e) =>
    e.type.startsWith('ProvisioningRun') &&
    e.data &&
    typeof e.data === 'object' &&
    'outputTail' in e.data
      ? { ...e, data: { ...(e.data as Record<string, unknown>), outputTail: null } }
      : e,
  );
}
