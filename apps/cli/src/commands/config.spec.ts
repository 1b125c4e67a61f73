import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';

const deploy = join(process.cwd(), 'deploy', 'config');

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-cli-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('duffy config check', () => {
  it.each(['embedded', 'compact', 'full'])('accepts deploy/config/%s', async (mode) => {
    const c = captureIo();
    expect(await runDuffy(['-c', join(deploy, mode), 'config', 'check'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^OK\.\nValidated configuration subkeys: .*defaults.*nodepools/);
  });

  it('says so when the configuration is empty', async () => {
    const c = captureIo();
    const dir = configDir({ '10_empty.yaml': '---\n' });
    expect(await runDuffy(['config', 'check', '-c', dir], c.io)).toBe(0);
    expect(c.stdout()).toBe('Configuration is empty.\n');
  });

  it('prints every problem as FILE: key.path: reason and exits 1', async () => {
    const dir = configDir({
      '10_defaults.yaml': 'defaults:\n  session-lifetime: 6x\n  session-lifetime-max: 12h\n',
      '20_pools.yaml':
        'nodepools:\n  concrete:\n    p:\n      extends: nowhere\n      fill-level: -3\n',
    });
    const c = captureIo();
    expect(await runDuffy(['config', 'check', '-c', dir], c.io)).toBe(1);
    const lines = c.stderr().trim().split('\n');
    const d = join(dir, '10_defaults.yaml');
    const p = join(dir, '20_pools.yaml');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${d}: defaults.session-lifetime: invalid time delta '6x'`,
        `${d}: defaults.node-quota: is required`,
        `${p}: nodepools.concrete.p.extends: unknown pool 'nowhere'`,
        expect.stringMatching(new RegExp(`^${p}: nodepools\\.concrete\\.p\\.fill-level: `)),
      ]),
    );
    expect(c.stdout()).toBe('');
  });

  it('names the line of a YAML syntax error', async () => {
    const dir = configDir({ 'bad.yaml': 'app:\n  port: 8080\n  host: [unclosed\n' });
    const c = captureIo();
    expect(await runDuffy(['config', 'check', '-c', dir], c.io)).toBe(1);
    expect(c.stderr()).toMatch(new RegExp(`^${join(dir, 'bad.yaml')}: line \\d+, column \\d+: `));
  });

  it('fails clearly on a path that does not exist', async () => {
    const c = captureIo();
    expect(await runDuffy(['config', 'check', '-c', '/nonexistent/duffy.yaml'], c.io)).toBe(1);
    expect(c.stderr()).toContain('/nonexistent/duffy.yaml');
  });
});

describe('duffy config dump', () => {
  it('prints the merged configuration with secrets masked', async () => {
    const dir = configDir({
      '10_client.yaml':
        'client:\n  url: http://127.0.0.1:8080/api/v1\n  auth: {name: admin, key: 0b4fb4a5-8a0c-4c4b-9d43-6bd0b5e1f1aa}\n',
      '20_db.yaml': 'database:\n  url: postgres://duffy:hunter2@127.0.0.1:5432/duffy\n',
    });
    const c = captureIo();
    expect(await runDuffy(['config', 'dump', '-c', dir], c.io)).toBe(0);
    const out = c.stdout();
    expect(out).toContain('url: http://127.0.0.1:8080/api/v1');
    expect(out).toContain('name: admin');
    expect(out).not.toContain('0b4fb4a5-8a0c-4c4b-9d43-6bd0b5e1f1aa');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('**********');
  });

  it('applies DUFFY_* overrides from the environment', async () => {
    const dir = configDir({ 'a.yaml': 'app:\n  port: 8080\n' });
    const c = captureIo({ DUFFY_APP__PORT: '9999' });
    expect(await runDuffy(['config', 'dump', '-c', dir], c.io)).toBe(0);
    expect(c.stdout()).toContain('port: 9999');
  });
});
