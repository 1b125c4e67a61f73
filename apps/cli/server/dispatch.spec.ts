import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from './dispatch';
import type { ServerIo } from './server-io';

/** Runs a server command line, recording what it prints. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ServerIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} };
  const code = await dispatch(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('the server entry dispatcher (no database needed)', () => {
  it('refuses an unknown command (exit 2)', async () => {
    expect(await run('admin', 'frobnicate')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Error: no such server command: admin frobnicate\n',
    });
  });

  it('reports a missing argument as click does (exit 2)', async () => {
    expect(await run('admin', 'create-tenant', 'bob')).toEqual({
      code: 2,
      stdout: '',
      stderr: "Error: Missing argument 'SSH_KEY'.\n",
    });
  });

  it('update-tenant without a change says what to set (exit 1)', async () => {
    expect((await run('admin', 'update-tenant', 'bob', '--ssh-key=')).stderr).toBe(
      'ERROR: Either --ssh-key, --api-key, --node-quota, --session-lifetime or' +
        ' --session-lifetime-max must be set.\n',
    );
  });

  it('names the missing configuration key (exit 1)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'duffy-dispatch-')), 'app.yaml');
    writeFileSync(file, 'app: { port: 8080 }\n');
    expect(await run('migration', 'db-version', '-c', file)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Configuration key missing or wrong: database.url\n',
    });
    expect(await run('admin', 'show-tenant', 'bob', '-c', file)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Configuration key missing or wrong: defaults\n',
    });
  });

  it('refuses to downgrade the event store before touching anything (exit 1)', async () => {
    const r = await run('migration', 'downgrade', 'event_store');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: the event store's schema is append-only history/);
  });
});
