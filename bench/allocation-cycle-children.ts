import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Child processes of allocation-cycle.bench.ts, run from the compiled bench tree. With
// DUFFY_BENCH_PROFILE=<dir> they run under --cpu-prof; the profile is written when they exit,
// so they are stopped with SIGTERM and exit on their own (never SIGKILL unless they hang).
export const PROFILE_DIR = process.env.DUFFY_BENCH_PROFILE;

export interface Child {
  role: string;
  process: ChildProcess;
  /** Everything it wrote to stdout, for the line it prints when it is up. */
  stdout(): string;
}

export function spawnChild(role: string, main: string, args: string[]): Child {
  const flags = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...flags, join(__dirname, main), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return { role, process: child, stdout: () => out };
}

export async function stopChildren(children: Child[]): Promise<void> {
  await Promise.all(children.map((c) => stopChild(c.process)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Notes which child profiled which level and when (CLOCK_MONOTONIC µs, the clock of the
 * profiles' timestamps), so cpu-profile-summary.js counts only the level's samples.
 */
export function recordWindow(
  children: Child[],
  window: { mode: string; level: string; startUs: number; endUs: number; cycles: number },
): void {
  if (!PROFILE_DIR) return;
  mkdirSync(PROFILE_DIR, { recursive: true });
  for (const c of children) {
    const line = { ...window, role: c.role, pid: c.process.pid };
    appendFileSync(join(PROFILE_DIR, 'windows.jsonl'), `${JSON.stringify(line)}\n`);
  }
}

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
