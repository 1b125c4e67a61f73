import { MigrationInterface, QueryRunner } from 'typeorm';
import type { RunEvent } from '@app/domain';
import { projectRunEvent } from '../projection/project-run-event';

/**
 * `provisioning_runs`: the provisioner's playbook runs (`GET /runs`), newest first overall or
 * per pool. The id is `text`, not `uuid`: the projector must accept every event the log holds,
 * whatever its runId. A migration of its own, for databases made by the first one: their
 * checkpoint is already past earlier runs, so the table is filled from `audit_events` (every
 * event applied so far) through the projection itself — the rows a replay would make, and
 * `verify` stays clean without a rebuild.
 */
export class ProvisioningRuns1764100000000 implements MigrationInterface {
  name = 'ProvisioningRuns1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provisioning_runs (
        id text CONSTRAINT provisioning_runs_pkey PRIMARY KEY,
        pool text NOT NULL,
        kind text NOT NULL,
        status text NOT NULL,
        node_ids integer[] NOT NULL,
        playbook text,
        instance text NOT NULL,
        started_at timestamp NOT NULL,
        started_position bigint NOT NULL,
        finished_at timestamp,
        duration double precision,
        exit_code integer,
        timed_out boolean NOT NULL DEFAULT false,
        reason text,
        output_tail text
      );
      CREATE INDEX provisioning_runs_started_index
        ON provisioning_runs (started_at DESC, started_position DESC);
      CREATE INDEX provisioning_runs_pool_started_index
        ON provisioning_runs (pool, started_at DESC, started_position DESC);
    `);
    const applied: { position: string; type: RunEvent['type']; data: RunEvent['data'] }[] =
      await q.query(
        `SELECT position, type, data FROM audit_events
          WHERE stream LIKE 'pool-%'
            AND type IN ('ProvisioningRunStarted', 'ProvisioningRunFinished')
          ORDER BY position`,
      );
    for (const e of applied) {
      await projectRunEvent(q, { type: e.type, data: e.data } as RunEvent, Number(e.position));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provisioning_runs`);
  }
}
