import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, UnreachableError } from '../client/api-client.js';
import { parseArgv } from '../argv.js';
import { captureIo } from '../testing/capture-io.js';
import type { DuffyApi } from '../ui/duffy-api.js';
import { FakeDuffyApi } from '../ui/testing/fake-duffy-api.js';
import { NOW, pool, session } from '../ui/testing/fixtures.js';
import { uiCommand, uiCommandWith, type UiEnvironment } from './ui.js';

const CONNECTION = ['--url', 'http://127.0.0.1:1/api/v1', '--auth-name', 'me', '--auth-key', 'k'];

/** Runs `duffy ui ARGV` with the given API, on a terminal or not. */
async function runUi(api: DuffyApi, argv: string[], interactive = false) {
  const started: DuffyApi[] = [];
  const environment: UiEnvironment = {
    makeApi: () => api,
    interactive: () => interactive,
    start: async (a) => void started.push(a),
    now: () => new Date(NOW),
  };
  const command = uiCommandWith(environment);
  const c = captureIo({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'duffy-ui-')) });
  const args = { ...parseArgv(argv, command.options), rest: [] };
  const code = await command.run(args, c.io);
  return { code, out: c.stdout(), err: c.stderr(), started };
}

describe('duffy ui', () => {
  it('is the ui command with the client connection options', () => {
    expect(uiCommand.words).toEqual(['ui']);
    expect(uiCommand.options?.map((o) => o.name)).toEqual(['url', 'auth-name', 'auth-key']);
  });

  it('prints a plain snapshot of pools and my sessions without a terminal', async () => {
    const s = session(7, 'demo-small', 2, 2);
    s.nodes[1].state = 'contextualizing';
    const api = new FakeDuffyApi(
      [pool('demo-small', 5, 3, { provisioning: 2, deployed: 2 }), { name: 'x', fillLevel: 1 }],
      [s, { ...session(9, 'big', 1), expiresAt: null }],
    );
    const r = await runUi(api, CONNECTION);
    expect(r).toMatchObject({ code: 0, err: '', started: [] });
    expect(r.out).toBe(
      [
        'Pools',
        '  demo-small  ready 3/5 [######----]  provisioning 2, contextualizing 0, deployed 2, deprovisioning 0',
        '  x  ready ?/1 [----------]  levels unknown',
        '',
        'My sessions',
        '  session 7  demo-small:2  expires in 02:00:00 (2030-01-01T02:00:00Z)  1 deployed, 1 contextualizing',
        '    s7-n1.pool.example.org (172.16.7.1)  demo-small  deployed',
        '    s7-n2.pool.example.org (172.16.7.2)  demo-small  contextualizing',
        '  session 9  big:1  never expires  1 deployed',
        '    s9-n1.pool.example.org (172.16.9.1)  big  deployed',
        '',
      ].join('\n'),
    );
  });

  it('says when there are no pools or sessions', async () => {
    const r = await runUi(new FakeDuffyApi(), CONNECTION);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Pools\n  no pools\n\nMy sessions\n  none\n');
  });

  it('exits 1 with the reason when the API fails, printing what it could read', async () => {
    const api = new FakeDuffyApi([pool('demo-small', 5, 3)]);
    api.failures.listSessions = new ApiError(401, 'Unauthorized');
    const r = await runUi(api, CONNECTION);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  demo-small  ready 3/5');
    expect(r.out).toContain('My sessions\n  (could not be read)\n');
    expect(r.err).toBe(
      'Error 401: Unauthorized (check --auth-name and --auth-key, or client.auth in the configuration)\n',
    );

    const down = new FakeDuffyApi();
    down.failures.listPools = new UnreachableError('cannot reach the Duffy API at u: ECONNREFUSED');
    down.failures.listSessions = down.failures.listPools;
    const r2 = await runUi(down, CONNECTION);
    expect(r2.code).toBe(1);
    expect(r2.err).toBe('Error: cannot reach the Duffy API at u: ECONNREFUSED\n'.repeat(2));
  });

  it('starts the TUI on a terminal, with the API it built', async () => {
    const api = new FakeDuffyApi();
    const r = await runUi(api, CONNECTION, true);
    expect(r).toMatchObject({ code: 0, out: '', err: '' });
    expect(r.started).toEqual([api]);
    expect(api.calls).toEqual([]);
  });

  it('needs the connection settings, like duffy client (exit 2)', async () => {
    const r = await runUi(new FakeDuffyApi(), ['--url', 'http://x']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing --auth-name (or client.auth.name in the configuration)');
  });
});
