import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** One service of the run, as systemd's unit would start it. */
export interface ServiceSpec {
  /** `api-1`, `projector-2`, … */
  name: string;
  kind: 'api' | 'projector' | 'provisioner' | 'metaclient';
  argv: string[];
  env: Record<string, string>;
  /** GET this for 200 = live (and, for the api, ready). */
  healthUrl: string;
  /** GET this for 200 = doing its work (a standby projector is live but not ready). */
  readyUrl: string;
}

/** An exit nobody asked for: what `Restart=on-failure` would have restarted. */
export interface UnplannedExit {
  service: string;
  at: string;
  code: number | null;
  signal: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A service process under the harness's supervision, the way `deploy/systemd` runs it with
 * `Restart=on-failure`: an exit the fault injector did not cause is recorded and restarted after
 * a second; a kill -9 the injector causes is restarted after the delay it chose.
 */
export class SupervisedProcess {
  private child?: ChildProcess;
  private readonly log: WriteStream;
  private stopping = false;
  private injectedKill = false;
  private paused = false;
  private restartTimer?: NodeJS.Timeout;
  readonly unplannedExits: UnplannedExit[] = [];
  starts = 0;

  constructor(
    readonly spec: ServiceSpec,
    logDir: string,
  ) {
    this.log = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.child.signalCode;
  }

  start(): void {
    this.starts += 1;
    this.log.write(`--- chaos: start #${this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, this.spec.argv, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    this.child = child;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.log.write(
      `--- chaos: exit code=${code} signal=${signal} at ${new Date().toISOString()}\n`,
    );
    if (this.stopping) return;
    if (this.injectedKill) return; // the injector restarts it after its own delay
    this.unplannedExits.push({
      service: this.spec.name,
      at: new Date().toISOString(),
      code,
      signal,
    });
    this.restartTimer = setTimeout(() => this.start(), 1000);
  }

  /** kill -9; the caller restarts it with `start()` when it wants. */
  async kill9(): Promise<void> {
    if (!this.child || !this.running) return;
    this.injectedKill = true;
    const exited = new Promise<void>((r) => this.child!.once('exit', () => r()));
    if (this.paused) this.resume();
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Start again after an injected kill. */
  restart(): void {
    this.injectedKill = false;
    if (!this.running) this.start();
  }

  pause(): void {
    if (!this.child || !this.running) return;
    this.paused = true;
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (!this.child || !this.paused) return;
    this.paused = false;
    this.child.kill('SIGCONT');
  }

  /** Resolves once `url` answers 200 (or rejects after timeoutMs). */
  async waitFor(url: 'health' | 'ready', timeoutMs: number): Promise<number> {
    const started = Date.now();
    const target = url === 'health' ? this.spec.healthUrl : this.spec.readyUrl;
    for (;;) {
      if (await answers200(target)) return Date.now() - started;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`${this.spec.name}: ${target} not 200 within ${timeoutMs} ms`);
      }
      await sleep(200);
    }
  }

  /** SIGTERM, then SIGKILL after graceMs. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && this.running) {
      if (this.paused) this.resume();
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}

/** True when `url` answers 200 within a second. */
export async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
