// One shape for every configuration problem, whatever stage found it (YAML, merge, env, schema).

export interface ConfigProblem {
  /** File that set the offending value, or the DUFFY_* variable that overrode it. */
  file: string;
  /** Dotted key path (`nodepools.concrete.x.fill-level`); empty for whole-file problems. */
  path: string;
  message: string;
  /** 1-based position, for YAML syntax errors only. */
  line?: number;
  column?: number;
}

export function formatProblem(p: ConfigProblem): string {
  if (p.line !== undefined) {
    return `${p.file}: line ${p.line}, column ${p.column ?? 1}: ${p.message}`;
  }
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export type KeyPath = readonly (string | number)[];

export function joinPath(path: KeyPath): string {
  return path.join('.');
}
