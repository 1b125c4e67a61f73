export type ProjectorMode = 'run' | 'rebuild' | 'verify';

export interface ProjectorArgs {
  mode: ProjectorMode;
  configPaths: string[];
}

const MODES: ProjectorMode[] = ['run', 'rebuild', 'verify'];

/** `[run|rebuild|verify] [-c FILE|DIR]...`; throws a message for anything else. */
export function parseProjectorArgs(argv: string[]): ProjectorArgs {
  const configPaths: string[] = [];
  let mode: ProjectorMode | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c' || a === '--config') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a value`);
      configPaths.push(value);
    } else if (a.startsWith('--config=')) {
      configPaths.push(a.slice('--config='.length));
    } else if (mode === undefined && (MODES as string[]).includes(a)) {
      mode = a as ProjectorMode;
    } else {
      throw new Error(`unexpected argument: ${a}`);
    }
  }
  return { mode: mode ?? 'run', configPaths };
}
