import { directQuery, type RowsQuery } from './direct-query';

/** A data source whose pg pool answers a row, or fails named statements with `code`. */
function source(code?: string) {
  const calls: Array<{ text: string; name?: string; via: string }> = [];
  const pool = {
    async query(config: { text: string; values?: unknown[]; name?: string }) {
      calls.push({ text: config.text, name: config.name, via: 'pool' });
      if (code && config.name) throw Object.assign(new Error('statement'), { code });
      return { rows: [{ n: config.values?.[0] }] };
    },
  };
  const db = {
    driver: { master: pool },
    async query(text: string) {
      calls.push({ text, via: 'typeorm' });
      return [{ n: 'typeorm' }];
    },
  };
  return { db: db as unknown as RowsQuery, calls };
}

describe('directQuery', () => {
  it('sends each text to the pool under one name of its own, answering the rows', async () => {
    const { db, calls } = source();
    const q = directQuery(db);
    expect(await q.query('SELECT $1::int AS n', [1])).toEqual([{ n: 1 }]);
    await q.query('SELECT $1::int AS n', [2]);
    await q.query('SELECT $1::text AS n', ['x']);
    const [a, b, c] = calls.map((call) => call.name);
    expect([a === b, a === c, typeof c]).toEqual([true, false, 'string']);
    // Another user of the same pool names the same text the same way.
    await directQuery(db).query('SELECT $1::text AS n', ['y']);
    expect(calls[3].name).toBe(c);
  });

  it.each(['42P05', '26000'])(
    'runs the query unnamed, and never names one again, when the server answers %s',
    async (code) => {
      const { db, calls } = source(code);
      const q = directQuery(db);
      expect(await q.query('SELECT $1::int AS n', [1])).toEqual([{ n: 1 }]);
      expect(await q.query('SELECT $1::int AS n', [2])).toEqual([{ n: 2 }]);
      expect(calls.map((c) => c.name)).toEqual([expect.any(String), undefined, undefined]);
    },
  );

  it('passes any other error on', async () => {
    const { db } = source('42P01');
    await expect(directQuery(db).query('SELECT 1')).rejects.toMatchObject({ code: '42P01' });
  });

  it('goes through the data source when it has no pool (not connected)', async () => {
    const calls: string[] = [];
    const db = { query: async (text: string) => (calls.push(text), [{ n: 0 }]) };
    expect(await directQuery(db as unknown as RowsQuery).query('SELECT 0 AS n')).toEqual([
      { n: 0 },
    ]);
    expect(calls).toEqual(['SELECT 0 AS n']);
  });
});
