/** `main.js [-c FILE|DIR]... [-H HOST] [-p PORT] [-D URL]`: these override metaclient.*. */
export interface MetaclientArgs {
  configPaths: string[];
  host?: string;
  port?: number;
  /** The api's base URL (W-L6: the original printed `--dest` but did not use it). */
  dest?: string;
}

export function parseMetaclientArgs(argv: string[]): MetaclientArgs {
  const out: MetaclientArgs = { configPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`option ${arg} needs a value`);
    if (arg === '-c' || arg === '--config') out.configPaths.push(value);
    else if (arg === '-H' || arg === '--host') out.host = value;
    else if (arg === '-D' || arg === '--dest') out.dest = value;
    else if (arg === '-p' || arg === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`invalid port: ${value}`);
      }
      out.port = port;
    } else throw new Error(`unknown option: ${arg}`);
    i++;
  }
  return out;
}
