import { parseArgv } from '../argv.js';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';
import { adminCreateTenant, adminListTenants, adminUpdateTenant } from './admin.js';
import { dev } from './dev.js';
import { migrationCreate, migrationDowngrade } from './migration.js';
import { setupDb } from './setup-db.js';
import { serverArgv } from './serve-built-app.js';
import type { Command } from '../command.js';

/** What the front end hands the server entry for a `duffy` command line. */
function handedOn(command: Command, argv: string[]): string[] {
  const parsed = parseArgv(argv, command.options ?? []);
  return serverArgv(command, { ...parsed, rest: parsed.words.slice(command.words.length) });
}

describe('server commands: the front end', () => {
  it('hands on positionals, then declared options as --name=value or --name', () => {
    expect(
      handedOn(adminCreateTenant, [
        '-c',
        'x.yaml',
        'admin',
        'create-tenant',
        'bob',
        'ssh-ed25519 AAA',
        '--node-quota',
        '-1',
        '--session-lifetime=1d 2h',
        '--is-admin',
      ]),
    ).toEqual([
      'admin',
      'create-tenant',
      'bob',
      'ssh-ed25519 AAA',
      '--is-admin',
      '--node-quota=-1',
      '--session-lifetime=1d 2h',
    ]);
    expect(handedOn(adminListTenants, ['admin', 'list-tenants', '--all', '--quiet'])).toEqual([
      'admin',
      'list-tenants',
      '--quiet',
      '--all',
    ]);
    expect(
      handedOn(adminUpdateTenant, ['admin', 'update-tenant', 't', '--api-key', 'reset']),
    ).toEqual(['admin', 'update-tenant', 't', '--api-key=reset']);
    expect(handedOn(setupDb, ['setup-db', '--test-data'])).toEqual(['setup-db', '--test-data']);
    expect(handedOn(migrationCreate, ['migration', 'create', 'add', 'tags'])).toEqual([
      'migration',
      'create',
      'add',
      'tags',
    ]);
    expect(
      handedOn(dev, ['dev', '--data', '.duffy', '--port', '9000', '--legacy-port=9091', '--ssh']),
    ).toEqual(['dev', '--data=.duffy', '--port=9000', '--legacy-port=9091', '--ssh']);
  });

  it.each([
    [['admin', 'show-tenant', 'a', 'b'], 'Error: unexpected argument: b\n'],
    [['admin', 'list-tenants', '--node-quota', '3'], 'Error: no such option: --node-quota\n'],
    [['migration', 'downgrade', '1', '2'], 'Error: unexpected argument: 2\n'],
    [['setup-db', '--is-admin'], 'Error: no such option: --is-admin\n'],
  ])('refuses %p before spawning anything (exit 2)', async (argv, message) => {
    const { io, stderr } = captureIo();
    expect(await runDuffy(argv, io)).toBe(2);
    expect(stderr()).toContain(message);
  });

  it('lists their options in --help', async () => {
    const { io, stdout } = captureIo();
    expect(await runDuffy(['admin', 'update-tenant', '--help'], io)).toBe(0);
    expect(stdout()).toMatch(/^Usage: duffy admin update-tenant NAME\n/);
    for (const option of ['--ssh-key KEY', '--api-key UUID|reset', '--node-quota N|none']) {
      expect(stdout()).toContain(option);
    }
    const help = captureIo();
    await runDuffy(['migration', 'downgrade', '--help'], help.io);
    expect(help.stdout()).toContain('Usage: duffy migration downgrade [VERSION]');
    expect(migrationDowngrade.maxArguments).toBe(1);
  });
});
