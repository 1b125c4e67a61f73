import type { HistoryEntryBody } from '../../../../../../libs/contracts/src/rest/bodies.js';

/** An event as the history endpoints answer it, for tests. */
export function historyEntry(
  position: number,
  fields: Partial<HistoryEntryBody> = {},
): HistoryEntryBody {
  return {
    position,
    stream: 'session-12',
    revision: position - 1,
    time: `2026-12-01T14:00:${String(position % 60).padStart(2, '0')}.512Z`,
    type: 'SessionExtended',
    actor: 'alice',
    actor_kind: 'tenant',
    correlation_id: 'session-12',
    summary: `event ${position}`,
    data: { position },
    ...fields,
  };
}

/** A session's story in five events, with four kinds of actors. */
export const SESSION_TIMELINE: HistoryEntryBody[] = [
  historyEntry(1, { type: 'SessionRequested', summary: 'requested 1 node from pool-a' }),
  historyEntry(2, {
    stream: 'node-3',
    type: 'NodeReserved',
    actor: 'system',
    actor_kind: 'system',
    summary: 'node 3 reserved for session 12',
  }),
  historyEntry(3, {
    stream: 'provisioning-run-41',
    type: 'PlaybookFinished',
    actor: 'provisioner',
    actor_kind: 'provisioner',
    summary: 'playbook contextualize.yml exit 0 in 41 s',
  }),
  historyEntry(4, {
    summary: 'extended expiry 14:00Z → 18:00Z (asked for 20:00Z, clamped)',
  }),
  historyEntry(5, {
    type: 'SessionExpired',
    actor: 'expiry',
    actor_kind: 'expiry',
    summary: 'expired',
  }),
];
