/**
 * The built server entry's command line: `main.js <words…> [--opt=VALUE | --flag]… [-c PATH]…`.
 * The ESM `duffy` front end has already checked the options against the command; it hands them
 * on as `--name=value` (a value cannot then be mistaken for an option) and flags as `--name`.
 */
export interface ServerArgv {
  /** Command words, then the command's positional arguments. */
  words: string[];
  options: Record<string, string | true>;
  configPaths: string[];
}

export function parseServerArgv(argv: string[]): ServerArgv {
  const parsed: ServerArgv = { words: [], options: {}, configPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-c' || arg === '--config') {
      const path = argv[++i];
      if (path === undefined) throw new Error(`option ${arg} needs a value`);
      parsed.configPaths.push(path);
    } else if (arg.startsWith('--config=')) {
      parsed.configPaths.push(arg.slice('--config='.length));
    } else if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      if (eq === -1) parsed.options[arg.slice(2)] = true;
      else parsed.options[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else {
      parsed.words.push(arg);
    }
  }
  return parsed;
}
