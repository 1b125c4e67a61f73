import type { CliIo } from '../io.js';

/** A CliIo that records what a command prints, for tests. */
export function captureIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
