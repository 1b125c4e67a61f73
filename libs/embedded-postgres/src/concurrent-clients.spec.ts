import { Pool } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

/** A failed query's message can quote a 500 kB parameter; keep test output readable. */
const shortError = (error: Error) => {
  throw new Error(error.message.slice(0, 200));
};

describe('EmbeddedPostgres with many concurrent pg clients', () => {
  let pg: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    pg = await EmbeddedPostgres.start();
    pool = new Pool({ connectionString: pg.url, max: 12 });
  }, 30_000);
  afterAll(async () => {
    await pool?.end();
    await pg?.stop();
  });

  it('gives a URL on a free port', () => {
    expect(pg.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  });

  it('answers 12 connections of interleaved parameterised queries with their own rows', async () => {
    // Different shapes: every batch re-parses the unnamed statement, so another connection's
    // Parse landing inside a batch returns the wrong shape or fails. Every fourth query carries a
    // 500 kB parameter, so its Bind reaches the server in several TCP chunks; between them other
    // connections' batches arrive. pglite-socket's stock queue then runs them inside this batch
    // (seen as "invalid input syntax for type integer: "yyy..."").
    const work = Array.from({ length: 600 }, async (_, i) => {
      if (i % 4 === 3) {
        const { rows } = await pool
          .query('SELECT length($1::text) AS len, $2::int AS i', ['y'.repeat(500_000 + i), i])
          .catch(shortError);
        expect(rows).toEqual([{ len: 500_000 + i, i }]);
      } else if (i % 3 === 0) {
        const { rows } = await pool.query('SELECT $1::int + 1 AS n', [i]).catch(shortError);
        expect(rows).toEqual([{ n: i + 1 }]);
      } else if (i % 3 === 1) {
        const { rows } = await pool
          .query("SELECT $1::text || 'x' AS s", [`v${i}`])
          .catch(shortError);
        expect(rows).toEqual([{ s: `v${i}x` }]);
      } else {
        const { rows } = await pool
          .query('SELECT g AS k, $2::text AS tag FROM generate_series(1, $1::int) AS g', [
            i % 5,
            `t${i}`,
          ])
          .catch(shortError);
        expect(rows).toEqual(Array.from({ length: i % 5 }, (_, k) => ({ k: k + 1, tag: `t${i}` })));
      }
    });
    await Promise.all(work);
    expect(pool.totalCount).toBeGreaterThanOrEqual(10);
  }, 30_000);
});
