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
