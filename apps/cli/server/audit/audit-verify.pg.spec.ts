import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chainHash, contentDigest, PgliteEventStore, PostgresEventStore } from '@app/event-store';
import { databaseFolder } from '../dev/data-dir-lock';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import type { ServerIo } from '../server-io';
import { dispatch } from '../dispatch';

const DEFAULTS = 'defaults: {session-lifetime: 6h, session-lifetime-max: 1d, node-quota: 5}\n';

// `duffy audit verify` in-process, through the server's dispatch as the built entry runs it.
describe('duffy audit verify (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;

  beforeEach(async () => {
    db = await createTestDatabase('audit_verify');
    dir = mkdtempSync(join(tmpdir(), 'duffy-audit-verify-'));
    writeFileSync(join(dir, 'duffy.yaml'), `database: { url: '${db.url}' }\n${DEFAULTS}`);
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    for (const stream of ['order-1', 'order-2']) {
      await store.append(stream, [{ type: 'Placed', data: { stream } }], 'no_stream');
      await store.append(stream, [{ type: 'Paid', data: { amount: 3 } }], 0);
    }
  });
  afterEach(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function auditVerify(...extra: string[]) {
    const out = { stdout: '', stderr: '' };
    const io: ServerIo = {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      env: {},
    };
    const code = await dispatch(['audit', 'verify', ...extra, '-c', dir], io);
    return { code, ...out };
  }

  async function sql(text: string, params: unknown[] = []) {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  }

  it('exits 0 on an untouched log, printing counts, rate and the head hash', async () => {
    const result = await auditVerify();
    const [last] = await store.readStream('order-2', { direction: 'backwards', maxCount: 1 });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^event log: 4 events in 2 streams, \d+ events\/s\n/);
    expect(result.stdout).toContain('event log: every hash chain holds\n');
    expect(result.stdout).toContain(
      `head: ${last.hash} (stream order-2, position ${last.position})\n`,
    );
    expect(result.stdout).toContain('read models: clean');
    expect(result.stdout).toMatch(/OK: hash chains hold and read models match a replay\n$/);
  });

  it('exits 1 naming the stream and position of a changed event', async () => {
    const [victim] = await store.readStream('order-1', { fromRevision: 1, maxCount: 1 });
    await sql(`ALTER TABLE event_store.events DISABLE TRIGGER events_append_only`);
    await sql(`UPDATE event_store.events SET data = '{"amount": 300}' WHERE position = $1`, [
      victim.position,
    ]);
    await sql(`ALTER TABLE event_store.events ENABLE TRIGGER events_append_only`);

    const result = await auditVerify();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `event log: BROKEN at stream order-1 position ${victim.position} (revision 1): hash_mismatch`,
    );
    expect(result.stderr).toBe(
      `FAILED: hash chain broken at stream order-1 position ${victim.position} (hash_mismatch)\n`,
    );
  });

  it('--anchors: a clean run keeps the tails; a later rewrite with recomputed hashes fails', async () => {
    const file = join(dir, 'anchors.json');
    const first = await auditVerify(`--anchors=${file}`);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`anchors: none kept yet; 2 written to ${file}\n`);
    const kept = readFileSync(file, 'utf8');
    const [last] = await store.readStream('order-2', { direction: 'backwards', maxCount: 1 });
    expect(JSON.parse(kept)['order-2']).toEqual({ revision: 1, hash: last.hash });

    await store.append('order-1', [{ type: 'Shipped', data: {} }], 1);
    const second = await auditVerify(`--anchors=${file}`);
    expect(second.stdout).toContain(`anchors: 2 held; 2 written to ${file}\n`);
    const anchored = readFileSync(file, 'utf8');

    // Whoever holds the database rewrites order-2's last event and recomputes its hash.
    const [previous] = await store.readStream('order-2', { maxCount: 1 });
    const forged = chainHash(
      previous.hash as string,
      contentDigest({ ...last, data: { amount: 0 } }),
    );
    await sql(`ALTER TABLE event_store.events DISABLE TRIGGER events_append_only`);
    await sql(
      `UPDATE event_store.events SET data = '{"amount": 0}', hash = $2 WHERE position = $1`,
      [last.position, forged],
    );
    await sql(`ALTER TABLE event_store.events ENABLE TRIGGER events_append_only`);
    expect((await auditVerify()).code).toBe(0); // the chain alone cannot tell
    const third = await auditVerify(`--anchors=${file}`);
    expect(third.code).toBe(1);
    expect(third.stderr).toBe(
      `FAILED: hash chain broken at stream order-2 position ${last.position} (anchor_mismatch)\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe(anchored); // a failed run keeps the old anchors

    writeFileSync(file, '{"order-1": {"revision": "x"}}');
    expect(await auditVerify(`--anchors=${file}`)).toMatchObject({
      code: 1,
      stderr: `Error: ${file}: order-1: needs a revision ≥ 0 and a sha256 hex hash\n`,
    });
    expect((await auditVerify('--anchors')).code).toBe(2);
  });

  it('exits 1 when a live read-model table differs from a replay', async () => {
    // Creates the live tables, then puts in a row no event accounts for.
    expect((await auditVerify()).code).toBe(0);
    await sql(`INSERT INTO public.pool_levels (pool, state, count) VALUES ('ghost', 'ready', 1)`);
    const result = await auditVerify();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('event log: every hash chain holds\n');
    expect(result.stdout).toContain('read models: only in live tables: pool_levels');
    expect(result.stderr).toBe('FAILED: read models differ from a replay (1 row)\n');
  });

  it('checks the chains of a duffy dev folder, saying it cannot compare its read models', async () => {
    const dataDir = join(dir, 'dev');
    mkdirSync(dataDir);
    const pglite = await PgliteEventStore.open({ dataDir: databaseFolder(dataDir) });
    await pglite.append('order-9', [{ type: 'Placed', data: { n: 9 } }], 'no_stream');
    await pglite.close();
    const devConfig = join(dir, 'dev.yaml');
    writeFileSync(devConfig, `eventstore: { type: pglite, path: '${dataDir}' }\n${DEFAULTS}`);
    const out = { stdout: '', stderr: '' };
    const io: ServerIo = {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      env: {},
    };
    expect(await dispatch(['audit', 'verify', '-c', devConfig], io)).toBe(0);
    expect(out.stdout).toMatch(/^event log: 1 events in 1 streams, /);
    expect(out.stdout).toContain('read models: not compared (a duffy dev folder');
    expect(out.stdout).toContain('OK: hash chains hold\n');
    expect(existsSync(join(dataDir, 'duffy-dev.pid'))).toBe(false);
  }, 60_000); // PGlite starts twice

  it('refuses arguments it does not take', async () => {
    expect(await auditVerify('extra')).toMatchObject({ code: 2 });
    expect(await auditVerify('--frobnicate')).toMatchObject({ code: 2 });
  });
});
