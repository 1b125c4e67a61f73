import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentCorrelationId } from '@app/observability';
import type { PlaybookRun } from '../mechanism';

export interface PlaybookInvocation {
  /** Ansible project directory: the run's working directory. */
  topdir: string;
  /** Path of the playbook, relative to topdir or absolute. */
  playbook: string;
  /** Passed as a JSON file, so types survive (numbers stay numbers, W-C22). */
  extraVars: Record<string, unknown>;
  timeoutMs: number;
  /** Default: `ansible-playbook` on PATH. */
  command?: string;
}

export interface PlaybookOutcome {
  run: PlaybookRun;
  /** The JSON stdout callback's document, or undefined when stdout was not JSON. */
  report: unknown;
}

const TAIL_CHARS = 4000;

function correlationEnv(): Record<string, string> {
  const id = currentCorrelationId();
  return id === undefined ? {} : { DUFFY_CORRELATION_ID: id };
}
const KILL_GRACE_MS = 5000;

/**
 * Runs one playbook with the JSON stdout callback and a hard timeout. The playbook runs in its
 * own process group so a timeout kills ssh and every other child it started too.
 */
export async function runAnsiblePlaybook(inv: PlaybookInvocation): Promise<PlaybookOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'duffy-ansible-'));
  const varsFile = join(dir, 'extra-vars.json');
  await writeFile(varsFile, JSON.stringify(inv.extraVars), { mode: 0o600 });
  const startedAt = new Date();
  try {
    const child = spawn(inv.command ?? 'ansible-playbook', ['-e', `@${varsFile}`, inv.playbook], {
      cwd: inv.topdir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
        ANSIBLE_RETRY_FILES_ENABLED: 'false',
        // The playbook (and what it calls) can tag its own logs with the request it serves.
        ...correlationEnv(),
      },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
    }, inv.timeoutMs);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    const out = Buffer.concat(stdout).toString('utf8');
    const err = Buffer.concat(stderr).toString('utf8');
    return {
      run: {
        playbook: inv.playbook,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        exitCode: timedOut ? null : exitCode,
        timedOut,
        outputTail: tail(`${out}${err ? `\n--- stderr ---\n${err}` : ''}`),
      },
      report: parseJson(out),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function tail(text: string): string {
  return text.length <= TAIL_CHARS ? text : `…${text.slice(-TAIL_CHARS)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
