import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderContextualizer } from './folder-contextualizer';
import { SEPARATOR } from './remote-commands';

describe('FolderContextualizer (the demo nodes of duffy dev)', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'duffy-folder-ctx-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('installs the key below the separator, keeps lines above it, and removes it again', async () => {
    const nodes = new FolderContextualizer(root);
    const file = nodes.keysFile('127.0.0.11');
    await nodes.decontextualize(['127.0.0.11']);
    writeFileSync(file, 'ssh-ed25519 AAAA duffy@host\n');
    const [installed] = await nodes.contextualize(['127.0.0.11'], 'ssh-ed25519 BBBB tenant-a\n');
    expect(installed).toEqual({ ipaddr: '127.0.0.11', ok: true });
    expect(readFileSync(file, 'utf8')).toBe(
      `ssh-ed25519 AAAA duffy@host\n${SEPARATOR}\nssh-ed25519 BBBB tenant-a\n`,
    );
    // A second tenant replaces the first, never adds to it.
    await nodes.contextualize(['127.0.0.11'], 'ssh-ed25519 CCCC tenant-b');
    expect(readFileSync(file, 'utf8')).toBe(
      `ssh-ed25519 AAAA duffy@host\n${SEPARATOR}\nssh-ed25519 CCCC tenant-b\n`,
    );
    await nodes.decontextualize(['127.0.0.11']);
    expect(readFileSync(file, 'utf8')).toBe('ssh-ed25519 AAAA duffy@host\n');
  });

  it('reports a node it cannot write as failed, keeping input order', async () => {
    const nodes = new FolderContextualizer(root);
    writeFileSync(join(root, 'blocked'), 'a file where a folder should be');
    const outcomes = await nodes.contextualize(['127.0.0.12', 'blocked'], 'ssh-ed25519 DDDD t');
    expect(outcomes.map((o) => [o.ipaddr, o.ok])).toEqual([
      ['127.0.0.12', true],
      ['blocked', false],
    ]);
    expect(outcomes[1].reason).toMatch(/EEXIST|ENOTDIR/);
  });
});
