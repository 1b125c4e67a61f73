import type { Pool } from 'pg';

/**
 * Where the relay has got to: the global position of the last event JetStream acknowledged,
 * one row per relay name, in a table of its own in the event store's database.
 */
export class RelayCheckpoint {
  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    private readonly table = 'event_relay_checkpoint',
  ) {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i.test(table)) {
      throw new Error(`invalid checkpoint table name: ${table}`);
    }
  }

  async ensureTable(): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
         name text PRIMARY KEY,
         position bigint NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
  }

  /** 0 when this relay never published anything. */
  async read(): Promise<number> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.table} WHERE name = $1`,
      [this.name],
    );
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  /** Never moves backwards, whoever writes last. */
  async write(position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE
         SET position = GREATEST(${this.table}.position, EXCLUDED.position), updated_at = now()`,
      [this.name, position],
    );
  }
}
