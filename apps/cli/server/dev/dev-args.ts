/** What `duffy dev` was asked for. */
export interface DevArgs {
  /** Folder of the embedded database, the client config and the demo nodes' keys. */
  dataDir?: string;
  port: number;
  legacyPort?: number;
  /** Contextualize over ssh (a real configuration's nodes) instead of the demo nodes' folders. */
  ssh: boolean;
  configPaths: string[];
}

export class DevArgsError extends Error {}

/** `dev [--data DIR] [--port N] [--legacy-port N] [--ssh] [-c FILE|DIR]...` (either `--x v` or `--x=v`). */
export function parseDevArgs(argv: string[]): DevArgs {
  const args: DevArgs = { port: 8080, ssh: false, configPaths: [] };
  const words = argv[0] === 'dev' ? argv.slice(1) : argv;
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = words[i].startsWith('--') ? splitInline(words[i]) : [words[i]];
    const value = (): string => {
      const v = inline ?? words[++i];
      if (v === undefined || v === '') throw new DevArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--data':
        args.dataDir = value();
        break;
      case '--port':
        args.port = portNumber(flag, value());
        break;
      case '--legacy-port':
        args.legacyPort = portNumber(flag, value());
        break;
      case '--ssh':
        args.ssh = true;
        break;
      case '-c':
      case '--config':
        args.configPaths.push(value());
        break;
      default:
        throw new DevArgsError(`unexpected argument: ${words[i]}`);
    }
  }
  return args;
}

function splitInline(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return eq === -1 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

function portNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
    throw new DevArgsError(`${flag}: '${v}' is not a port number (1-65535)`);
  }
  return n;
}
