import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ALL_BUILT, assertFreshBuild } from './built-output';

/** The repository root and its built `duffy` executable (`npm run build` comes first). */
export const ROOT = join(__dirname, '..', '..');
export const DUFFY_BIN = join(ROOT, 'node_modules', '.bin', 'duffy');

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `duffy ARGS…` to its end, as a user would, from the repository root. */
export function runDuffy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    try {
      assertFreshBuild(...ALL_BUILT);
    } catch (error) {
      reject(error);
      return;
    }
    execFile(
      DUFFY_BIN,
      args,
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

/** Two consecutive free loopback ports (the api and the legacy API). */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await isFree(port + 1))) return port;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A running `duffy dev` child and what it has printed so far. */
export interface DuffyDev {
  child: ChildProcess;
  output(): string;
  /** SIGINT, then its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `duffy dev ARGS…` and resolves once it says it is running (or rejects with its output). */
export async function startDuffyDev(args: string[], timeoutMs = 90_000): Promise<DuffyDev> {
  assertFreshBuild(...ALL_BUILT);
  const child = spawn(DUFFY_BIN, ['dev', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const dev: DuffyDev = {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  const started = Date.now();
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null) throw new Error(`duffy dev exited ${child.exitCode}:\n${out}`);
    if (Date.now() - started > timeoutMs) {
      await dev.stop();
      throw new Error(`duffy dev did not start in ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return dev;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'the condition',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
