import { Client } from 'pg';
import { TEST_PG_ADMIN_URL, withAdmin } from '../../../../test/support/postgres';
import { toProblem } from './problem.filter';

/**
 * Regression (chaos run, seed 1803): while PostgreSQL restarted, requests in flight were answered
 * 500 internal_error. The errors here are the driver's own, from a real server.
 */
describe('an api request whose database went away', () => {
  it('answers 503 database_unavailable with Retry-After when its connection is terminated', async () => {
    const victim = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await victim.connect();
    victim.on('error', () => undefined); // the terminated socket reports here too
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await withAdmin((admin) => admin.query('SELECT pg_terminate_backend($1)', [pid]));
    const error = await victim.query('SELECT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    await victim.end().catch(() => undefined);
    expect(error).toBeDefined();
    const problem = toProblem(error);
    expect(problem.status).toBe(503);
    expect(problem.code).toBe('database_unavailable');
    expect(problem.headers['Retry-After']).toBe('2');
    expect(problem.detail).not.toMatch(/terminat|administrator/); // no driver text leaks
  });

  it('answers 503 when the server refuses connections (stopped)', async () => {
    const url = new URL(TEST_PG_ADMIN_URL);
    url.port = '1'; // nothing listens on port 1 of loopback
    const client = new Client({ connectionString: url.toString() });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(toProblem(error).status).toBe(503);
  });

  it('still answers 500 for a query the server refuses for what it says', async () => {
    const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await client.connect();
    try {
      const error = await client.query('SELECT * FROM no_such_table').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(toProblem(error)).toMatchObject({ status: 500, code: 'internal_error' });
    } finally {
      await client.end();
    }
  });
});
