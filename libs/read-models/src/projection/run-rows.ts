import type { PoolEvent, RunEvent } from '@app/domain';
import type { Conversions, RunRow } from './rows';

/**
 * `provisioning_runs` rows from run streams (`run-<id>`), and from pool streams, where logs
 * written before issue 13 hold them; fill plans are the provisioner's business and are not
 * projected. The finish carries the whole record, so it also makes the row when the start is
 * missing; a run whose provisioner died before finishing stays `running`, as the log tells it.
 * Pure: `run` is the row as the events before left it, the result the row after.
 */
export function evolveRun(
  run: RunRow | undefined,
  event: RunEvent | PoolEvent,
  position: number,
  convert: Conversions,
): RunRow | undefined {
  switch (event.type) {
    case 'ProvisioningRunStarted': {
      if (run) return run; // ON CONFLICT DO NOTHING
      const d = event.data;
      return {
        id: d.runId,
        pool: d.pool,
        kind: d.kind,
        status: 'running',
        node_ids: d.nodeIds,
        playbook: d.playbook,
        instance: d.provisioner,
        started_at: convert.utc(d.startedAt),
        started_position: String(position),
        finished_at: null,
        duration: null,
        exit_code: null,
        timed_out: false,
        reason: null,
        output_tail: null,
      };
    }
    case 'ProvisioningRunFinished': {
      const d = event.data;
      const outcome = {
        status: d.status,
        playbook: d.playbook,
        finished_at: convert.utc(d.at),
        // `$n::float8 / 1000`: the same IEEE division.
        duration:
          d.durationMs === null || d.durationMs === undefined ? null : String(d.durationMs / 1000),
        exit_code: d.exitCode,
        timed_out: d.timedOut,
        reason: d.reason,
        output_tail: d.outputTail,
      };
      if (run) return { ...run, ...outcome };
      return {
        id: d.runId,
        pool: d.pool,
        kind: d.kind,
        node_ids: d.nodeIds,
        instance: d.provisioner,
        started_at: convert.utc(d.startedAt),
        started_position: String(position),
        ...outcome,
      };
    }
    case 'PoolFillPlanned':
    case 'PoolFillFinished':
      return run;
  }
  return run;
}

export function runInstants(event: RunEvent | PoolEvent): unknown[] {
  switch (event.type) {
    case 'ProvisioningRunStarted':
      return [event.data.startedAt];
    case 'ProvisioningRunFinished':
      return [event.data.startedAt, event.data.at];
    default:
      return [];
  }
}

/** The run an event is about, if it makes a row. */
export function runIdOf(event: RunEvent | PoolEvent): string | undefined {
  return event.type === 'ProvisioningRunStarted' || event.type === 'ProvisioningRunFinished'
    ? event.data.runId
    : undefined;
}
