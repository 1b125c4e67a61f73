// DUFFY_<SECTION>__<KEY>__<SUBKEY>=value overrides, applied after the files (for containers).
import * as yaml from 'js-yaml';
import { Mapping, deepClone, isMapping } from './merge';
import { ConfigProblem, joinPath } from './problems';
import type { Provenance } from './provenance';

const PREFIX = 'DUFFY_';

const normalise = (s: string): string => s.toLowerCase().replace(/_/g, '-');

// Schema keys spelled with '_' (most use '-'), so a new key gets the spelling the schema expects.
const UNDERSCORE_KEYS = ['mangle_hostname', 'sync_url', 'async_url'];

/** An existing key matching the segment (case-insensitive, '-' = '_'), else its canonical form. */
function keyFor(container: Mapping, segment: string): string {
  const wanted = normalise(segment);
  const same = (k: string) => normalise(k) === wanted;
  return Object.keys(container).find(same) ?? UNDERSCORE_KEYS.find(same) ?? wanted;
}

/** The override variables, sorted by name so their order does not depend on the environment. */
export function overrideVariables(env: NodeJS.ProcessEnv): [string, string][] {
  return Object.entries(env)
    .filter(
      (e): e is [string, string] =>
        e[0].startsWith(PREFIX) && e[0].slice(PREFIX.length).includes('__') && e[1] !== undefined,
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Applies every override to `raw` in place; bad ones become problems naming the variable. */
export function applyEnvOverrides(
  raw: Mapping,
  env: NodeJS.ProcessEnv,
  provenance: Provenance,
  problems: ConfigProblem[],
): void {
  for (const [name, text] of overrideVariables(env)) {
    const segments = name.slice(PREFIX.length).split('__');
    if (segments.some((s) => s === '')) {
      problems.push({ file: name, path: '', message: 'empty key segment in variable name' });
      continue;
    }
    let value: unknown;
    try {
      value = text.trim() === '' ? '' : yaml.load(text);
    } catch (err) {
      const reason = (err as yaml.YAMLException).reason ?? (err as Error).message;
      problems.push({ file: name, path: '', message: `invalid value: ${reason}` });
      continue;
    }
    let container: Mapping = raw;
    const keys: string[] = [];
    let ok = true;
    for (const [i, segment] of segments.entries()) {
      const key = keyFor(container, segment);
      keys.push(key);
      if (i === segments.length - 1) break;
      const next = container[key];
      if (next === undefined || next === null) {
        container[key] = {};
        provenance.set(keys, name);
      } else if (!isMapping(next)) {
        problems.push({ file: name, path: joinPath(keys), message: 'is not a mapping' });
        ok = false;
        break;
      }
      container = container[key] as Mapping;
    }
    if (!ok) continue;
    container[keys[keys.length - 1]] = deepClone(value);
    provenance.setTree(keys, value, name);
  }
}
