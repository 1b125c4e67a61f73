import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, the auditors: the `is_auditor` flag on tenants (no tenant had it before, so the
 * default is every existing row's true value) and the indexes the history endpoints and
 * `GET /events` filter by — type, correlation id, tenant, session, the nodes of a run, time.
 */
export class Audit1764200000000 implements MigrationInterface {
  name = 'Audit1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants ADD COLUMN is_auditor boolean NOT NULL DEFAULT false;
      CREATE INDEX audit_events_type_index ON audit_events (type, position);
      CREATE INDEX audit_events_correlation_index
        ON audit_events ((metadata->>'correlationId'), position);
      CREATE INDEX audit_events_tenant_index ON audit_events ((data->>'tenant'), position)
        WHERE data ? 'tenant';
      CREATE INDEX audit_events_session_index ON audit_events ((data->>'sessionId'), position)
        WHERE data ? 'sessionId';
      CREATE INDEX audit_events_run_nodes_index ON audit_events USING gin ((data->'nodeIds'))
        WHERE type LIKE 'ProvisioningRun%';
      CREATE INDEX audit_events_time_index ON audit_events (recorded_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX audit_events_type_index, audit_events_correlation_index,
        audit_events_tenant_index, audit_events_session_index, audit_events_run_nodes_index,
        audit_events_time_index;
      ALTER TABLE tenants DROP COLUMN is_auditor;
    `);
  }
}
