/** What a server command prints to; tests pass one that records. */
export interface ServerIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const processServerIo: ServerIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
};

/** One server-side command: parsed arguments in, exit code out. */
export type ServerCommand = (
  args: import('./server-argv').ServerArgv,
  io: ServerIo,
) => Promise<number>;
