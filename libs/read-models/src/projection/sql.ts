/** What the projection needs of a connection: TypeORM's EntityManager and QueryRunner fit. */
export interface Sql {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** An ISO instant (events carry `...Z`) as the naive-UTC `timestamp` the original stores. */
export const utc = (n: number): string => `($${n}::timestamptz AT TIME ZONE 'UTC')`;

/** Milliseconds (or null) as a PostgreSQL interval. */
export const interval = (n: number): string =>
  `(CASE WHEN $${n}::float8 IS NULL THEN NULL ELSE make_interval(secs => $${n}::float8 / 1000) END)`;

/** Numbered parameters of a statement assembled from parts (`$n::type`, in order of use). */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** A column of a multi-row parameter: its name, its SQL type and how a row gives its value. */
export type Column<R> = [name: string, type: string, value: (row: R) => unknown];

/** `unnest($1::t1[], $2::t2[], ...) AS alias(c1, c2, ...)`: the rows as a table, one array per column. */
export function unnestRows<R>(p: Params, rows: R[], alias: string, columns: Column<R>[]): string {
  const arrays = columns.map(([, type, value]) => p.add(rows.map(value), `${type}[]`));
  return `unnest(${arrays.join(', ')}) AS ${alias}(${columns.map(([name]) => name).join(', ')})`;
}
