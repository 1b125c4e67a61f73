import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, node administration: an admin's maintenance reason (null: in service) and when the
 * node's state last changed (purge-stale's "stuck for how long"). The checkpoint is already
 * past the nodes' events, so `state_since` is taken from `audit_events`: the `at` of each
 * node's latest event that changes its state (every node event but these four does).
 */
export class NodeAdministration1764300000000 implements MigrationInterface {
  name = 'NodeAdministration1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE nodes ADD COLUMN maintenance text NULL, ADD COLUMN state_since timestamp NULL;
      UPDATE nodes n SET state_since = latest.at FROM (
        SELECT DISTINCT ON (stream) stream,
               (data->>'at')::timestamptz AT TIME ZONE 'UTC' AS at
          FROM audit_events
         WHERE stream LIKE 'node-%'
           AND type LIKE 'Node%'
           AND type NOT IN ('NodeRetired', 'NodeMaintenanceStarted', 'NodeMaintenanceEnded',
                            'NodeCommented')
         ORDER BY stream, position DESC
      ) latest
      WHERE latest.stream = 'node-' || n.id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE nodes DROP COLUMN maintenance, DROP COLUMN state_since`);
  }
}
