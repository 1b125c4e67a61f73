// The end-to-end suites run the built apps (dist/, apps/cli/dist), and `npm test` does not
// build: output older than its sources would test yesterday's code and pass. These checks refuse
// to run on such output, naming the first source that changed since the build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** One built program: its entry file and how to tell which sources went into it. */
export interface BuiltEntry {
  /** The file a suite runs, relative to the repository root. */
  main: string;
  /**
   * `nest build` is incremental: its tsbuildinfo records the content hash of every source it
   * compiled (and it skips re-emitting unchanged files, so output mtimes cannot be compared).
   */
  buildInfo?: string;
  /** Plain `tsc` (the CLI): every output file is rewritten, next to its source's mirror path. */
  outDir?: string;
}

const nest = (app: string, source = `apps/${app}`, tsconfig = 'tsconfig.app'): BuiltEntry => ({
  main: `dist/apps/${app}/${source}/${app === 'cli-server' ? 'server' : 'src'}/main.js`,
  buildInfo: `dist/apps/${app}/${source}/${tsconfig}.tsbuildinfo`,
});

export const BUILT_ENTRIES = {
  api: nest('api'),
  projector: nest('projector'),
  metaclient: nest('metaclient'),
  provisioner: nest('provisioner'),
  cliServer: nest('cli-server', 'apps/cli', 'tsconfig.server'),
  cli: { main: 'apps/cli/dist/apps/cli/src/main.js', outDir: 'apps/cli/dist' },
} satisfies Record<string, BuiltEntry>;

export type BuiltName = keyof typeof BUILT_ENTRIES;

/** Why `entry` cannot be trusted, or undefined when it is as new as its sources. */
export function staleness(entry: BuiltEntry, root = ROOT): string | undefined {
  const main = join(root, entry.main);
  if (!existsSync(main)) return `${entry.main} is not built`;
  if (entry.buildInfo) return staleByBuildInfo(entry, root);
  if (entry.outDir) return staleByMtime(entry, root);
  return undefined;
}

function staleByBuildInfo(entry: BuiltEntry, root: string): string | undefined {
  const infoPath = join(root, entry.buildInfo!);
  if (!existsSync(infoPath)) return `${entry.buildInfo} is missing`;
  const info = JSON.parse(readFileSync(infoPath, 'utf8')) as {
    fileNames: string[];
    fileInfos: (string | { version: string })[];
  };
  for (let i = 0; i < info.fileNames.length; i++) {
    const source = join(dirname(infoPath), info.fileNames[i]);
    const rel = relative(root, source);
    if (rel.startsWith('node_modules') || rel.startsWith('..')) continue;
    const recorded = info.fileInfos[i];
    const version = typeof recorded === 'string' ? recorded : recorded?.version;
    if (!existsSync(source)) return `${entry.main} was built from ${rel}, which is gone`;
    // TypeScript's file version is the SHA-256 of the text (no source-map comment in ours).
    const hash = createHash('sha256').update(readFileSync(source, 'utf8')).digest('hex');
    if (hash !== version) return `${entry.main} is older than ${rel}`;
  }
  return undefined;
}

function staleByMtime(entry: BuiltEntry, root: string): string | undefined {
  const outDir = join(root, entry.outDir!);
  const config = join(root, dirname(entry.outDir!), 'tsconfig.json');
  if (existsSync(config) && statSync(config).mtimeMs > statSync(join(root, entry.main)).mtimeMs) {
    return `${entry.main} is older than ${relative(root, config)}`;
  }
  for (const output of walk(outDir)) {
    if (!output.endsWith('.js')) continue;
    const base = join(root, relative(outDir, output)).replace(/\.js$/, '');
    const source = [`${base}.ts`, `${base}.tsx`].find((s) => existsSync(s));
    if (source && statSync(source).mtimeMs > statSync(output).mtimeMs) {
      return `${relative(root, output)} is older than ${relative(root, source)}`;
    }
  }
  return undefined;
}

function* walk(dir: string): Generator<string> {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const checked = new Map<BuiltName, string | undefined>();

/**
 * Throws, with the fix, unless every named program is built from the sources as they are now.
 * Checked once per test file: the sources do not change under a running suite.
 */
export function assertFreshBuild(...names: BuiltName[]): void {
  const problems: string[] = [];
  for (const name of names) {
    if (!checked.has(name)) checked.set(name, staleness(BUILT_ENTRIES[name]));
    const problem = checked.get(name);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more built programs)` : '';
    throw new Error(
      `${problems[0]}${more}: run \`npm run build\` first (this suite runs the built output)`,
    );
  }
}

/** Everything `duffy` runs: the CLI, and the built servers its `dev` and `admin` start. */
export const ALL_BUILT = Object.keys(BUILT_ENTRIES) as BuiltName[];
