import type {
  PoolEvent,
  ProvisioningRunFinished,
  ProvisioningRunStarted,
  RunEvent,
} from '@app/domain';
import { Sql, utc } from '../../projection/sql';

/**
 * `provisioning_runs` rows from run streams (`run-<id>`), and from pool streams, where logs
 * written before issue 13 hold them; fill plans are the provisioner's business and are not
 * projected. The finish carries the whole record, so it also makes the row when the start is
 * missing; a run whose provisioner died before finishing stays `running`, as the log tells it.
 */
export async function projectRunEvent(
  sql: Sql,
  event: RunEvent | PoolEvent,
  position: number,
): Promise<void> {
  switch (event.type) {
    case 'ProvisioningRunStarted':
      return started(sql, event, position);
    case 'ProvisioningRunFinished':
      return finished(sql, event, position);
    case 'PoolFillPlanned':
    case 'PoolFillFinished':
      return;
  }
}

function started(sql: Sql, e: ProvisioningRunStarted, position: number): Promise<void> {
  const d = e.data;
  return sql.query(
    `INSERT INTO provisioning_runs
       (id, pool, kind, status, node_ids, playbook, instance, started_at, started_position)
     VALUES ($1, $2, $3, 'running', $4::int[], $5, $6, ${utc(7)}, $8)
     ON CONFLICT (id) DO NOTHING`,
    [d.runId, d.pool, d.kind, d.nodeIds, d.playbook, d.provisioner, d.startedAt, position],
  );
}

function finished(sql: Sql, e: ProvisioningRunFinished, position: number): Promise<void> {
  const d = e.data;
  return sql.query(
    `INSERT INTO provisioning_runs
       (id, pool, kind, status, node_ids, playbook, instance, started_at, started_position,
        finished_at, duration, exit_code, timed_out, reason, output_tail)
     VALUES ($1, $2, $3, $4, $5::int[], $6, $7, ${utc(8)}, $9, ${utc(10)}, $11::float8 / 1000,
             $12, $13, $14, $15)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, playbook = EXCLUDED.playbook,
       finished_at = EXCLUDED.finished_at, duration = EXCLUDED.duration,
       exit_code = EXCLUDED.exit_code, timed_out = EXCLUDED.timed_out,
       reason = EXCLUDED.reason, output_tail = EXCLUDED.output_tail`,
    [
      d.runId,
      d.pool,
      d.kind,
      d.status,
      d.nodeIds,
      d.playbook,
      d.provisioner,
      d.startedAt,
      position,
      d.at,
      d.durationMs,
      d.exitCode,
      d.timedOut,
      d.reason,
      d.outputTail,
    ],
  );
}
