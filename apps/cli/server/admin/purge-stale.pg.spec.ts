import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import type { ServerIo } from '../server-io';
import { purgeStale } from './purge-stale';

const DEFAULTS = 'defaults: {session-lifetime: 6h, session-lifetime-max: 1d, node-quota: 5}\n';

// `duffy admin purge-stale` in-process on a real store: a node stuck 3h ago, the bound 2h.
describe('duffy admin purge-stale (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;
  const since = new Date(Date.now() - 3 * 3_600_000).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase('admin_purge_stale');
    dir = mkdtempSync(join(tmpdir(), 'duffy-admin-purge-'));
    writeFileSync(join(dir, 'duffy.yaml'), `database: { url: '${db.url}' }\n${DEFAULTS}`);
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    await store.append(
      nodeStream(7),
      [
        {
          type: 'NodeProvisioningStarted',
          data: { nodeId: 7, pool: 'small', reusable: false, at: since },
          metadata: { actor: 'test' },
        },
      ],
      'no_stream',
    );
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(options: Record<string, string | true>) {
    const out = { stdout: '', stderr: '' };
    const io: ServerIo = {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      env: {},
    };
    const code = await purgeStale({ words: [], options, configPaths: [dir] }, io);
    return { code, ...out };
  }

  it('refuses a bad --older-than, naming it', async () => {
    expect(await run({ 'older-than': 'soon' })).toEqual({
      code: 1,
      stdout: '',
      stderr: "ERROR: --older-than: must be a time delta above zero (got 'soon')\n",
    });
  });

  it('--dry-run lists, then a run retires it with the admin actor', async () => {
    const dry = await run({ 'dry-run': true });
    expect(dry).toEqual({
      code: 0,
      stdout: `OK: node 7 - pool=small provisioning since ${since}: would be retired\n`,
      stderr: '',
    });
    expect((await store.readStream(nodeStream(7))).length).toBe(1);

    expect(await run({ 'older-than': '2h' })).toMatchObject({ code: 0 });
    const events = await store.readStream(nodeStream(7));
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([
      ['NodeProvisioningStarted', 'test'],
      ['NodeProvisioningFailed', 'admin-cli'],
      ['NodeRetired', 'admin-cli'],
    ]);
    expect((await run({})).stdout).toBe('');
  });
});
