// Deep merge as in the original: mappings merge recursively, later wins; scalars and lists
// replace; a mapping meeting a non-mapping at the same key is an error naming both sources.
import { ConfigProblem, KeyPath, joinPath } from './problems';
import type { Provenance } from './provenance';

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  );
}

/** Structural copy, so YAML aliases and later merges never share objects. */
export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepClone(v)) as T;
  if (isMapping(value)) {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepClone(v);
    return out as T;
  }
  return value;
}

function kind(value: unknown): string {
  if (isMapping(value)) return 'a mapping';
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : 'a scalar';
}

/** Merges `source` (read from `file`) into `target` in place. */
export function mergeInto(
  target: Mapping,
  source: Mapping,
  file: string,
  provenance: Provenance,
  problems: ConfigProblem[],
  path: KeyPath = [],
): void {
  for (const [key, value] of Object.entries(source)) {
    const here = [...path, key];
    const old = target[key];
    if (isMapping(old) && isMapping(value)) {
      provenance.set(here, file);
      mergeInto(old, value, file, provenance, problems, here);
    } else if (key in target && isMapping(old) !== isMapping(value)) {
      problems.push({
        file,
        path: joinPath(here),
        message: `cannot merge ${kind(value)} here with ${kind(old)} from ${provenance.sourceOf(here)}`,
      });
    } else {
      target[key] = deepClone(value);
      provenance.setTree(here, value, file);
    }
  }
}

/** Pool inheritance merge: like mergeInto but own values simply win, no conflicts. */
export function deepMerge(base: Mapping, over: Mapping): Mapping {
  const out = deepClone(base);
  for (const [key, value] of Object.entries(over)) {
    const old = out[key];
    out[key] = isMapping(old) && isMapping(value) ? deepMerge(old, value) : deepClone(value);
  }
  return out;
}
