/**
 * Splits a `duffy` command line into the command words and the options around them.
 * Global options may stand before or after the command words, as in `duffy -c x config check`
 * and `duffy config check -c x`. Commands declare options of their own (`OptionSpec`); the
 * parser knows them all, and the program then refuses those the chosen command did not declare.
 */
export interface ParsedArgv {
  words: string[];
  configPaths: string[];
  help: boolean;
  version: boolean;
  loglevel?: string;
  /** Command options given, by long name without dashes: a value, or true for a flag. */
  options: Record<string, string | true>;
}

/** An option a command declares: `--name VALUE` (or `--name=VALUE`), or a flag. */
export interface OptionSpec {
  name: string;
  /** A value follows (`--url URL`); else it is a flag. */
  value?: string;
  summary: string;
}

export class UsageError extends Error {
  readonly exitCode = 2;
}

const LOGLEVELS = ['critical', 'error', 'warning', 'info', 'debug', 'trace'];

export function parseArgv(argv: string[], commandOptions: OptionSpec[] = []): ParsedArgv {
  const parsed: ParsedArgv = {
    words: [],
    configPaths: [],
    help: false,
    version: false,
    options: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? splitInline(arg) : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`option ${name} needs a value`);
      return next;
    };
    switch (name) {
      case '-c':
      case '--config':
        parsed.configPaths.push(value());
        break;
      case '-l':
      case '--loglevel': {
        const level = value().toLowerCase();
        if (!LOGLEVELS.includes(level)) {
          throw new UsageError(`invalid log level '${level}' (one of ${LOGLEVELS.join(', ')})`);
        }
        parsed.loglevel = level;
        break;
      }
      case '-h':
      case '--help':
        parsed.help = true;
        break;
      case '--version':
        parsed.version = true;
        break;
      default: {
        const spec = commandOptions.find((o) => `--${o.name}` === name);
        if (spec) {
          if (!spec.value && inline !== undefined) {
            throw new UsageError(`option ${name} does not take a value`);
          }
          parsed.options[spec.name] = spec.value ? value() : true;
        } else if (name.startsWith('-') && name !== '-') {
          throw new UsageError(`no such option: ${name}`);
        } else {
          parsed.words.push(arg);
        }
      }
    }
  }
  return parsed;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
