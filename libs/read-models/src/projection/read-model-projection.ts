import type { RecordedEvent } from '@app/event-store';
import { insertAuditEvents } from './audit-rows';
import { ProjectedEvent, projectedKind } from './fold-page';
import { projectRows } from './project-rows';
import type { Params, Sql } from './sql';
import type { WriteTail } from './write-rows';

/** Name of this projection's checkpoint row and advisory lock. */
export const READ_MODEL_PROJECTION = 'read-models';

/**
 * Applies a page of recorded events, in log order, to the read-model tables through the given
 * connection in two statements whatever the page's size: the first inserts the audit rows and
 * loads the rows the page touches, the second writes what the fold made of them. Pure of
 * transactions and of Nest: the caller (ProjectionWriter) owns the transaction and checkpoint,
 * and may have its checkpoint written by the second statement (`tail`). Rows depend only on
 * event data, never on the clock, so a replay gives the same rows, whatever its pages.
 */
export async function projectPage(
  sql: Sql,
  events: RecordedEvent[],
  tail?: (p: Params) => WriteTail,
): Promise<void> {
  if (events.length === 0) return;
  const projected: ProjectedEvent[] = [];
  for (const e of events) {
    const kind = projectedKind(e.stream);
    if (kind) projected.push({ kind, event: e, position: e.position } as ProjectedEvent);
  }
  await projectRows(sql, projected, {
    withLoad: (p) => insertAuditEvents(p, events),
    withWrite: tail,
  });
}

/** One event: a page of one. */
export function projectEvent(sql: Sql, event: RecordedEvent): Promise<void> {
  return projectPage(sql, [event]);
}
