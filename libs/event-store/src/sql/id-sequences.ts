import { createHash } from 'node:crypto';
import { idStreamName } from '../event-store.port';
import { SqlRunner } from './sql-runner';

/**
 * Integer ids from one PostgreSQL sequence per kind: `nextval` is no commit and takes no stream
 * lock, where an append to the hot `id-<kind>` stream was a commit every request queued behind.
 *
 * Kinds are free strings, sequence names are bare identifiers: a kind of plain lower-case
 * letters and digits keeps its name (`id_session`); any other kind gets a sanitized prefix and a
 * hash (`id_odd_kind_h3f2a...`). Plain names have no `_` after `id_`, hashed ones always do, so
 * two kinds never share a sequence (short of a 60-bit hash collision).
 */
export function idSequenceName(schema: string, kind: string): string {
  if (/^[a-z][a-z0-9]{0,39}$/.test(kind)) return `${schema}.id_${kind}`;
  const prefix = kind
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  const hash = createHash('sha256').update(kind).digest('hex').slice(0, 15);
  return `${schema}.id_${prefix === '' ? 'x' : prefix}_h${hash}`;
}

/** Hands out ids per kind; creates a kind's sequence on first use. */
export class IdSequences {
  /** Per sequence, its creation check (done once per process; a failed one is forgotten). */
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly runner: SqlRunner,
    private readonly schema: string,
  ) {}

  async next(kind: string): Promise<number> {
    const sequence = idSequenceName(this.schema, kind);
    let ensured = this.ensured.get(sequence);
    if (!ensured) {
      ensured = this.ensure(kind, sequence);
      this.ensured.set(sequence, ensured);
      ensured.catch(() => this.ensured.delete(sequence));
    }
    await ensured;
    const [row] = await this.runner.query<{ id: string | number }>(
      `SELECT nextval('${sequence}') AS id`,
    );
    return Number(row.id);
  }

  /**
   * Creates the sequence unless it exists, under an advisory lock so that two processes do not
   * race on CREATE. It starts after the last id handed out through the kind's old id stream
   * (id = revision + 1), so a database that allocated ids the old way never sees one twice.
   * Every process must run this code from then on: an older one still appending to the id
   * stream would hand out ids the sequence also hands out.
   */
  private async ensure(kind: string, sequence: string): Promise<void> {
    await this.runner.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [
        `${this.schema}.id_sequences`,
        sequence,
      ]);
      const [exists] = await tx.query<{ found: boolean }>(
        `SELECT to_regclass($1) IS NOT NULL AS found`,
        [sequence],
      );
      if (exists?.found) return;
      const [last] = await tx.query<{ revision: string | number | null }>(
        `SELECT max(revision) AS revision FROM ${this.schema}.events WHERE stream = $1`,
        [idStreamName(kind)],
      );
      const start = last?.revision === null || last === undefined ? 1 : Number(last.revision) + 2;
      await tx.exec(`CREATE SEQUENCE ${sequence} AS bigint START WITH ${start}`);
    });
  }
}
