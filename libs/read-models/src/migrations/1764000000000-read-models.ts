import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read models: the original's four tables (compat §2.1, same names, columns and index
 * names) plus what this implementation adds: session status and failure, the snapshot of a node
 * in `sessions_nodes` (W-C25), pool levels, the audit log of every event and the checkpoint.
 * Tables go into the data source's search_path schema, so `verify` can replay into a scratch one.
 */
export class ReadModels1764000000000 implements MigrationInterface {
  name = 'ReadModels1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TYPE node_state_enum AS ENUM
        ('unused','provisioning','ready','contextualizing','deployed','deprovisioning','done','failed');
      CREATE TABLE tenants (
        id integer CONSTRAINT tenants_pkey PRIMARY KEY,
        name text NOT NULL CONSTRAINT tenants_name_key UNIQUE,
        is_admin boolean NOT NULL DEFAULT false,
        ssh_key text NOT NULL,
        api_key text NOT NULL,
        node_quota integer,
        session_lifetime interval,
        session_lifetime_max interval,
        created_at timestamp NOT NULL,
        retired_at timestamp
      );
      CREATE TABLE sessions (
        id integer CONSTRAINT sessions_pkey PRIMARY KEY,
        tenant_id integer NOT NULL CONSTRAINT sessions_tenant_id_tenants_fkey REFERENCES tenants(id),
        expires_at timestamp,
        data json NOT NULL DEFAULT '{}',
        created_at timestamp NOT NULL,
        retired_at timestamp,
        status text NOT NULL,
        requested_by text NOT NULL,
        retired_by text,
        failure_reason text,
        failure_detail text
      );
      CREATE INDEX sessions_tenant_id_index ON sessions (tenant_id);
      CREATE TABLE nodes (
        id integer CONSTRAINT nodes_pkey PRIMARY KEY,
        hostname text,
        ipaddr text,
        state node_state_enum NOT NULL DEFAULT 'unused',
        comment text,
        pool text,
        reusable boolean NOT NULL DEFAULT false,
        data json NOT NULL DEFAULT '{}',
        created_at timestamp NOT NULL,
        retired_at timestamp
      );
      CREATE INDEX nodes_state_index ON nodes (state);
      CREATE INDEX nodes_pool_index ON nodes (pool);
      CREATE INDEX active_hostname_index ON nodes (hostname)
        WHERE retired_at IS NULL AND state <> 'provisioning' AND state <> 'failed';
      CREATE INDEX active_ipaddr_index ON nodes (ipaddr)
        WHERE retired_at IS NULL AND state <> 'provisioning' AND state <> 'failed';
      CREATE TABLE sessions_nodes (
        session_id integer NOT NULL CONSTRAINT sessions_nodes_session_id_sessions_fkey REFERENCES sessions(id),
        node_id integer NOT NULL CONSTRAINT sessions_nodes_node_id_nodes_fkey REFERENCES nodes(id),
        pool text NOT NULL,
        data json NOT NULL DEFAULT '{}',
        hostname text,
        ipaddr text,
        reusable boolean NOT NULL DEFAULT false,
        CONSTRAINT sessions_nodes_pkey PRIMARY KEY (session_id, node_id)
      );
      CREATE INDEX sessions_nodes_session_id_index ON sessions_nodes (session_id);
      CREATE INDEX sessions_nodes_pool_index ON sessions_nodes (pool);
      CREATE TABLE pool_levels (
        pool text NOT NULL,
        state node_state_enum NOT NULL,
        count integer NOT NULL,
        CONSTRAINT pool_levels_pkey PRIMARY KEY (pool, state)
      );
      CREATE TABLE audit_events (
        position bigint CONSTRAINT audit_events_pkey PRIMARY KEY,
        id uuid NOT NULL,
        stream text NOT NULL,
        revision integer NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamp NOT NULL
      );
      CREATE INDEX audit_events_stream_index ON audit_events (stream, revision);
      CREATE TABLE projection_checkpoints (
        name text CONSTRAINT projection_checkpoints_pkey PRIMARY KEY,
        position bigint NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE projection_checkpoints, audit_events, pool_levels, sessions_nodes, nodes,
        sessions, tenants;
      DROP TYPE node_state_enum;
    `);
  }
}
