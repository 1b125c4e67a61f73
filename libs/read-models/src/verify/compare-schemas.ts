import type { DataSource } from 'typeorm';
import { READ_MODEL_TABLES } from '../entities';

export interface RowDifference {
  table: string;
  /** `live`: the row is only in the live tables; `replay`: only in the replayed ones. */
  onlyIn: 'live' | 'replay';
  row: unknown;
}

/**
 * Rows that differ between two schemas holding the read-model tables, compared as whole rows
 * (to_jsonb, since `json` columns have no equality). Runs in the caller's snapshot.
 */
export async function compareSchemas(
  sql: Pick<DataSource, 'query'>,
  live: string,
  replay: string,
  limitPerTable = 20,
): Promise<RowDifference[]> {
  const differences: RowDifference[] = [];
  for (const table of READ_MODEL_TABLES) {
    for (const [onlyIn, a, b] of [
      ['live', live, replay],
      ['replay', replay, live],
    ] as const) {
      const rows: { row: unknown }[] = await sql.query(
        `SELECT row FROM (SELECT to_jsonb(t) AS row FROM ${a}.${table} t
                          EXCEPT SELECT to_jsonb(t) FROM ${b}.${table} t) d
         ORDER BY row::text LIMIT ${limitPerTable}`,
      );
      for (const { row } of rows) differences.push({ table, onlyIn, row });
    }
  }
  return differences;
}
