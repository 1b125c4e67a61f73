// Built apps as child processes for the end-to-end suites, and plain HTTP as cico speaks it.
import { ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { assertFreshBuild } from '../../../../test/support/built-output';

export const ROOT = join(__dirname, '..', '..', '..', '..');
export const BUILT = {
  api: join(ROOT, 'dist/apps/api/apps/api/src/main.js'),
  projector: join(ROOT, 'dist/apps/projector/apps/projector/src/main.js'),
  metaclient: join(ROOT, 'dist/apps/metaclient/apps/metaclient/src/main.js'),
};

/** Refuses missing or stale output: a suite on yesterday's build would test yesterday's code. */
export function assertBuilt(): void {
  assertFreshBuild('api', 'projector', 'metaclient');
}

export interface Child {
  process: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

export function startChild(main: string, args: string[]): Child {
  const child: Child = {
    process: spawn(process.execPath, [main, ...args], { cwd: ROOT }),
    stdout: '',
    stderr: '',
    exited: Promise.resolve(null),
  };
  child.process.stdout?.on('data', (d: Buffer) => (child.stdout += d.toString()));
  child.process.stderr?.on('data', (d: Buffer) => (child.stderr += d.toString()));
  child.exited = new Promise((r) => child.process.on('exit', (code) => r(code)));
  return child;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port nobody listens on right now (for the api, whose port comes from its config). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A bare GET with a literal path and query string, no auth header: what `cico` sends. */
export async function rawGet(base: string, pathAndQuery: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    get(`${base}${pathAndQuery}`, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
      );
    }).on('error', reject);
  });
}
