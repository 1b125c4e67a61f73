// Finding and reading config files, then merging them in order (compat §3.1).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Mapping, isMapping, mergeInto } from './merge';
import { ConfigProblem } from './problems';
import { Provenance } from './provenance';

export interface RawConfig {
  raw: Mapping;
  provenance: Provenance;
  problems: ConfigProblem[];
  /** Files actually read, in merge order. */
  sources: string[];
}

/** `/etc/duffy` and `$XDG_CONFIG_HOME/duffy` (else `~/.config/duffy`), those that exist. */
export function defaultConfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || os.homedir();
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return ['/etc/duffy', path.join(xdg, 'duffy')].filter((p) => fs.existsSync(p));
}

/** Files and directories → files; a directory gives its *.yaml/*.yml, sorted by path. */
export function expandConfigPaths(paths: string[], problems: ConfigProblem[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      problems.push({ file: p, path: '', message: 'no such file or directory' });
      continue;
    }
    if (stat.isDirectory()) {
      files.push(
        ...fs
          .readdirSync(p)
          .filter((f) => /\.ya?ml$/.test(f))
          .map((f) => path.join(p, f))
          .filter((f) => fs.statSync(f).isFile())
          .sort(),
      );
    } else {
      files.push(p);
    }
  }
  return files;
}

/** Parses one file's documents; YAML errors become problems with a 1-based line and column. */
export function readConfigFile(file: string, problems: ConfigProblem[]): Mapping[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file, path: '', message: `cannot read: ${(err as Error).message}` });
    return [];
  }
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, { filename: file });
  } catch (err) {
    const e = err as yaml.YAMLException;
    const mark = e.mark;
    problems.push({
      file,
      path: '',
      message: e.reason ?? e.message,
      line: mark ? mark.line + 1 : undefined,
      column: mark ? mark.column + 1 : undefined,
    });
    return [];
  }
  const out: Mapping[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return; // empty documents are skipped
    if (!isMapping(doc)) {
      problems.push({ file, path: '', message: `document ${i + 1} must be a mapping` });
      return;
    }
    out.push(doc);
  });
  return out;
}

/** Loads and merges `paths` (explicit) or the default locations when none are given. */
export function loadRawConfig(
  paths: string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): RawConfig {
  const problems: ConfigProblem[] = [];
  const provenance = new Provenance();
  const raw: Mapping = {};
  const explicit = paths !== undefined && paths.length > 0;
  const files = expandConfigPaths(explicit ? paths : defaultConfigPaths(env), problems);
  const sources: string[] = [];
  for (const file of files) {
    const abs = path.resolve(file);
    sources.push(abs);
    for (const doc of readConfigFile(abs, problems)) {
      mergeInto(raw, doc, abs, provenance, problems);
    }
  }
  return { raw, provenance, problems, sources };
}
