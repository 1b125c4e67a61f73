// Runs a schema class over a plain value and turns every failure (class-validator's and unknown
// keys) into ConfigProblems, collecting all of them rather than stopping at the first.
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { isMapping } from './merge';
import { ConfigProblem, KeyPath } from './problems';
import { SchemaClass, allowsExtraKeys, keysOf } from './schema/decorators';

/** Maps a key path inside the validated value to where to report it. */
export type Locate = (subPath: KeyPath) => { file: string; path: string };

function unknownKeys(
  value: unknown,
  cls: SchemaClass,
  at: KeyPath,
  out: [KeyPath, string][],
): void {
  if (!isMapping(value)) return;
  const keys = keysOf(cls);
  for (const [key, child] of Object.entries(value)) {
    const info = keys.get(key);
    if (!info) {
      if (!allowsExtraKeys(cls)) out.push([[...at, key], 'unknown key']);
      continue;
    }
    if (!info.nested) continue;
    if (info.each && Array.isArray(child)) {
      child.forEach((item, i) => unknownKeys(item, info.nested!(), [...at, key, i], out));
    } else if (!info.each) {
      unknownKeys(child, info.nested(), [...at, key], out);
    }
  }
}

function flatten(errors: ValidationError[], at: KeyPath, out: [KeyPath, string][]): void {
  for (const e of errors) {
    const here = [...at, e.property];
    const constraints = e.constraints ?? {};
    if (constraints.isDefined) {
      out.push([here, constraints.isDefined]);
    } else {
      const messages = Object.entries(constraints)
        .filter(([name]) => name !== 'nestedValidation')
        .map(([, m]) => m);
      // A list item that is not a mapping only gets class-validator's generic nested message.
      if (messages.length === 0 && constraints.nestedValidation) messages.push('must be a mapping');
      for (const m of messages) out.push([here, m]);
    }
    if (e.children?.length) flatten(e.children, here, out);
  }
}

export function validateWith(
  value: unknown,
  cls: new () => object,
  locate: Locate,
): ConfigProblem[] {
  const found: [KeyPath, string][] = [];
  if (!isMapping(value)) {
    found.push([[], 'must be a mapping']);
  } else {
    unknownKeys(value, cls, [], found);
    const instance = plainToInstance(cls, value);
    flatten(validateSync(instance, { forbidUnknownValues: false }), [], found);
  }
  return found.map(([sub, message]) => ({ ...locate(sub), message }));
}

/** Keeps the first of identical problems (inherited pool keys are checked once per child). */
export function dedupeProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}\u0000${p.path}\u0000${p.message}\u0000${p.line ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
