import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ALL_BUILT, assertFreshBuild } from '../support/built-output';

// Runs the built `duffy` executable as a user would (npm run build comes first: the README's
// test command builds before it tests), to catch what unit tests cannot: ESM/CommonJS packaging.
const root = join(__dirname, '..', '..');
const bin = join(root, 'node_modules', '.bin', 'duffy');
const run = promisify(execFile);

async function duffy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: root, env: { PATH: process.env.PATH } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the duffy executable', () => {
  beforeAll(() => {
    assertFreshBuild(...ALL_BUILT);
  });

  it('is on the npm path and prints its version', async () => {
    expect(await duffy('--version')).toEqual({
      code: 0,
      stdout: `Duffy, version ${require('../../package.json').version}\n`,
      stderr: '',
    });
  });

  it('accepts the embedded example configuration', async () => {
    const r = await duffy('-c', 'deploy/config/embedded', 'config', 'check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK\.\n/);
  });

  it('rejects a bad configuration naming file and key, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duffy-bin-'));
    const file = join(dir, 'pools.yaml');
    writeFileSync(
      file,
      'nodepools:\n  concrete:\n    a: {extends: b, mechanism: {type: static}}\n    b: {extends: a}\n',
    );
    const r = await duffy('config', 'check', '-c', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^${file}: nodepools\\.concrete\\.[ab]\\.extends: cycle `, 'm'),
    );
  });
});
