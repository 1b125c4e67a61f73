import { Client } from 'pg';
import { createTestDatabase } from './postgres';

describe('test PostgreSQL', () => {
  it('creates an isolated database that can be written and dropped', async () => {
    const db = await createTestDatabase('support');
    const c = new Client({ connectionString: db.url });
    await c.connect();
    await c.query('CREATE TABLE t (x int)');
    await c.query('INSERT INTO t VALUES (42)');
    const r = await c.query<{ x: number }>('SELECT x FROM t');
    expect(r.rows).toEqual([{ x: 42 }]);
    await c.end();
    await db.drop();
    const admin = new Client({ connectionString: db.url.replace(db.name, 'postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});
