import type { DataSource } from 'typeorm';
import { READ_MODEL_TABLES } from '../entities';

export interface RowDifference {
  table: string;
  /** `live`: the row is only in the live tables; `replay`: only in the replayed ones. */
  onlyIn: 'live' | 'replay';
  row: unknown;
}

/** Every table's primary key: rows are paired on it, then compared whole. */
const KEYS: Record<(typeof READ_MODEL_TABLES)[number], string[]> = {
  tenants: ['id'],
  sessions: ['id'],
  nodes: ['id'],
  sessions_nodes: ['session_id', 'node_id'],
  pool_levels: ['pool', 'state'],
  audit_events: ['position'],
  provisioning_runs: ['id'],
  projection_checkpoints: ['name'],
};

/**
 * Rows that differ between two schemas holding the read-model tables, compared as whole rows
 * (to_jsonb, since `json` columns have no equality). Rows are paired on their primary key in
 * one pass; a pair whose text is the same is equal without building its jsonb (a replay
 * usually matches nearly every row). Runs in the caller's snapshot.
 */
export async function compareSchemas(
  sql: Pick<DataSource, 'query'>,
  live: string,
  replay: string,
  limitPerTable = 20,
): Promise<RowDifference[]> {
  const differences: RowDifference[] = [];
  for (const table of READ_MODEL_TABLES) {
    const key = KEYS[table];
    // As text: each schema has its own node_state_enum type.
    const on = key.map((k) => `l.${k}::text = r.${k}::text`).join(' AND ');
    const side = (alias: string) =>
      `CASE WHEN ${alias}.${key[0]} IS NULL THEN NULL ELSE to_jsonb(${alias}) END`;
    const rows: { only_in: 'live' | 'replay'; row: unknown }[] = await sql.query(
      `WITH differing AS (
         SELECT ${side('l')} AS live_row, ${side('r')} AS replay_row
           FROM ${live}.${table} l FULL JOIN ${replay}.${table} r ON ${on}
          WHERE l::text IS DISTINCT FROM r::text)
       (SELECT 'live' AS only_in, live_row AS row FROM differing
         WHERE live_row IS NOT NULL AND live_row IS DISTINCT FROM replay_row
         ORDER BY live_row::text LIMIT ${limitPerTable})
       UNION ALL
       (SELECT 'replay', replay_row FROM differing
         WHERE replay_row IS NOT NULL AND replay_row IS DISTINCT FROM live_row
         ORDER BY replay_row::text LIMIT ${limitPerTable})`,
    );
    for (const { only_in, row } of rows) differences.push({ table, onlyIn: only_in, row });
  }
  return differences;
}
