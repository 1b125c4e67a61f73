import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { staleness, type BuiltEntry } from './built-output';

// A repository in a temporary folder, laid out as `nest build` and the CLI's `tsc` leave it.
function repo(): { root: string; write(path: string, text: string, mtime?: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'duffy-built-'));
  return {
    root,
    write(path, text, mtime) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
      if (mtime !== undefined) utimesSync(join(root, path), mtime, mtime);
    },
  };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('built output freshness', () => {
  const nest: BuiltEntry = {
    main: 'dist/apps/api/apps/api/src/main.js',
    buildInfo: 'dist/apps/api/apps/api/tsconfig.app.tsbuildinfo',
  };

  function nestRepo(built: Record<string, string>) {
    const r = repo();
    r.write(nest.main, 'built');
    const names = Object.keys(built);
    r.write(
      nest.buildInfo!,
      JSON.stringify({
        fileNames: ['../../../../../node_modules/typescript/lib/lib.es5.d.ts', ...names].map((n) =>
          n.startsWith('../') ? n : `../../../../../${n}`,
        ),
        fileInfos: ['libhash', ...names.map((n) => ({ version: sha(built[n]) }))],
      }),
    );
    for (const [name, text] of Object.entries(built)) r.write(name, text);
    return r;
  }

  it('accepts nest output built from the sources as they are, even when they were touched', () => {
    const r = nestRepo({ 'apps/api/src/main.ts': 'main', 'libs/domain/src/x.ts': 'x' });
    // A checkout that puts back the same text is newer, but the incremental build has nothing
    // to re-emit: by content, the output is fresh.
    r.write('libs/domain/src/x.ts', 'x', Date.now() / 1000 + 60);
    expect(staleness(nest, r.root)).toBeUndefined();
  });

  it('names the first source changed since the nest build, and a missing build', () => {
    const r = nestRepo({ 'apps/api/src/main.ts': 'main', 'libs/domain/src/x.ts': 'x' });
    r.write('libs/domain/src/x.ts', 'x changed');
    expect(staleness(nest, r.root)).toBe(
      'dist/apps/api/apps/api/src/main.js is older than libs/domain/src/x.ts',
    );
    expect(staleness({ ...nest, main: 'dist/none/main.js' }, r.root)).toBe(
      'dist/none/main.js is not built',
    );
  });

  it('compares mtimes for the CLI, whose plain tsc build rewrites every output', () => {
    const cli: BuiltEntry = { main: 'apps/cli/dist/apps/cli/src/main.js', outDir: 'apps/cli/dist' };
    const r = repo();
    const t = Date.now() / 1000;
    r.write('apps/cli/tsconfig.json', '{}', t - 100);
    r.write('apps/cli/src/main.tsx', 'main', t - 100);
    r.write('libs/config/src/c.ts', 'c', t - 100);
    r.write(cli.main, 'built', t - 50);
    r.write('apps/cli/dist/libs/config/src/c.js', 'built', t - 50);
    expect(staleness(cli, r.root)).toBeUndefined();
    r.write('libs/config/src/c.ts', 'c changed', t);
    expect(staleness(cli, r.root)).toBe(
      'apps/cli/dist/libs/config/src/c.js is older than libs/config/src/c.ts',
    );
  });
});
