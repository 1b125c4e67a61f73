import type { PoolEvent, RunEvent } from '@app/domain';
import { projectRows } from './project-rows';
import type { Sql } from './sql';

/**
 * One run event applied on its own (the provisioning_runs migration replays audit_events
 * with it). The same fold and writes as a page of the projection.
 */
export async function projectRunEvent(
  sql: Sql,
  event: RunEvent | PoolEvent,
  position: number,
): Promise<void> {
  await projectRows(sql, [{ kind: 'run', event, position }]);
}
