import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import type { ServerCommand, ServerIo } from '../server-io';
import {
  addNodes,
  commentNode,
  failNode,
  listNodes,
  maintainNode,
  releaseNode,
  retireNode,
  showNode,
} from './admin-node';

const DEFAULTS = 'defaults: {session-lifetime: 6h, session-lifetime-max: 1d, node-quota: 5}\n';

// `duffy admin node …` in-process on a real store, from an inventory file to retirement.
describe('duffy admin node (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;
  /** Inventory files live apart: every file of the config directory is read as config. */
  let files: string;

  beforeAll(async () => {
    db = await createTestDatabase('admin_node');
    dir = mkdtempSync(join(tmpdir(), 'duffy-admin-node-'));
    files = mkdtempSync(join(tmpdir(), 'duffy-admin-node-files-'));
    writeFileSync(join(dir, 'duffy.yaml'), `database: { url: '${db.url}' }\n${DEFAULTS}`);
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  async function run(
    command: ServerCommand,
    words: string[],
    options: Record<string, string | true> = {},
  ) {
    const out = { stdout: '', stderr: '' };
    const io: ServerIo = {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      env: {},
    };
    const code = await command({ words, options, configPaths: [dir] }, io);
    return { code, ...out };
  }

  async function nodeEvents(nodeId: number) {
    return (await store.readStream(nodeStream(nodeId))).map((e) => ({
      type: e.type,
      actor: e.metadata.actor,
      data: e.data,
    }));
  }

  it('refuses a bad file naming file:line and the field, writing nothing', async () => {
    const file = join(files, 'bad.yaml');
    writeFileSync(
      file,
      [
        '- {hostname: ok1, ipaddr: 127.0.0.21}',
        '- {hostname: bad1, ipaddr: 127.0.0.999}',
        '- {ipaddr: 127.0.0.23}',
      ].join('\n'),
    );
    const result = await run(addNodes, [file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`ERROR: ${file}:2: ipaddr: not an IP address: '127.0.0.999'`);
    expect(result.stderr).toContain(`ERROR: ${file}:3: hostname: missing`);
    expect(await store.readAll({ filter: { streamPrefixes: ['node-'] } })).toEqual([]);
  });

  it('adds the nodes of a YAML file and lists them', async () => {
    const file = join(files, 'nodes.yaml');
    writeFileSync(
      file,
      [
        'nodes:',
        '  - {hostname: n1, ipaddr: 127.0.0.11, pool: small}',
        '  - {hostname: n2, ipaddr: 127.0.0.12, pool: small, comment: rack 4}',
      ].join('\n'),
    );
    expect(await run(addNodes, [file])).toEqual({
      code: 0,
      stdout: 'OK: n1 (127.0.0.11) node 1\nOK: n2 (127.0.0.12) node 2\n',
      stderr: '',
    });
    expect(await run(listNodes, [])).toEqual({
      code: 0,
      stdout:
        'OK: 1 n1 127.0.0.11 pool=small state=unused\n' +
        'OK: 2 n2 127.0.0.12 pool=small state=unused\n',
      stderr: '',
    });
    expect((await nodeEvents(1))[0]).toMatchObject({ type: 'NodeRegistered', actor: 'admin-cli' });
    expect((await run(listNodes, [], { pool: 'other' })).stdout).toBe('');

    // A row already active is refused, the others still added; exit 1.
    const again = join(files, 'again.csv');
    writeFileSync(again, 'hostname,ipaddr\nn3,127.0.0.13\nn9,127.0.0.11\n');
    expect(await run(addNodes, [again])).toEqual({
      code: 1,
      stdout: 'OK: n3 (127.0.0.13) node 3\n',
      stderr:
        "ERROR: line 3: n9: already_exists an active node already has hostname 'n9' or " +
        "ipaddr '127.0.0.11'\n",
    });
    expect((await run(retireNode, ['3'])).code).toBe(0);
  });

  it('maintains, comments, releases, fails and retires a node as admin-cli', async () => {
    expect(await run(maintainNode, ['1'], { reason: 'disk swap' })).toEqual({
      code: 0,
      stdout: 'OK: 1 n1 127.0.0.11 pool=small state=unused maintenance=disk swap\n',
      stderr: '',
    });
    expect((await nodeEvents(1)).at(-1)).toMatchObject({
      type: 'NodeMaintenanceStarted',
      actor: 'admin-cli',
      data: { nodeId: 1, reason: 'disk swap' },
    });
    expect((await run(commentNode, ['1', 'new disk ordered'])).code).toBe(0);
    expect((await run(showNode, ['1'])).stdout).toBe(
      'OK: 1 n1 127.0.0.11 pool=small state=unused maintenance=disk swap ' +
        'comment=new disk ordered\n',
    );
    expect((await run(listNodes, [], { state: 'unused' })).stdout).toContain('maintenance=disk');

    expect((await run(releaseNode, ['1'])).stdout).toBe(
      'OK: 1 n1 127.0.0.11 pool=small state=unused\n',
    );
    expect((await run(failNode, ['2'], { reason: 'no ping' })).stdout).toBe(
      'OK: 2 n2 127.0.0.12 pool=small state=failed\n',
    );
    expect((await run(retireNode, ['2'])).code).toBe(0);
    expect((await nodeEvents(1)).map((e) => [e.type, e.actor])).toEqual([
      ['NodeRegistered', 'admin-cli'],
      ['NodeMaintenanceStarted', 'admin-cli'],
      ['NodeCommented', 'admin-cli'],
      ['NodeMaintenanceEnded', 'admin-cli'],
    ]);
    expect((await nodeEvents(2)).map((e) => e.type)).toEqual([
      'NodeRegistered',
      'NodeFailed',
      'NodeRetired',
    ]);
    expect((await run(listNodes, [])).stdout).toBe('OK: 1 n1 127.0.0.11 pool=small state=unused\n');
    expect((await run(listNodes, [], { all: true })).stdout).toContain('OK: 2 n2 127.0.0.12');
  });

  it('answers an unknown node id with an error and exit 1', async () => {
    expect(await run(showNode, ['99'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR: node 99\nERROR DETAIL: Not Found\n',
    });
    const maintain = await run(maintainNode, ['99']);
    expect(maintain.code).toBe(1);
    expect(maintain.stderr).toMatch(/^ERROR: node 99\n/);
    expect(await nodeEvents(99)).toEqual([]);
  });
});
