import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Piscina from 'piscina';
import { BcryptBusyError } from './bcrypt-runner.port';
import type { BcryptRunner } from './bcrypt-runner.port';
// Also keeps the worker in every tsc program that compiles this file, so it is emitted beside it.
import type * as worker from './bcrypt.worker';

export interface WorkerBcryptOptions {
  /** Worker threads; 1-2 on a small machine so the event loop keeps a core. */
  threads: number;
  /** Checks that may wait for a thread; more are refused with BcryptBusyError. */
  maxQueue: number;
  /** The compiled worker module; by default bcrypt.worker.js beside this file. */
  filename?: string;
}

/** The compiled worker beside this module, or undefined when running from sources (jest). */
export function compiledWorkerFile(): string | undefined {
  const file = join(__dirname, 'bcrypt.worker.js');
  return existsSync(file) ? file : undefined;
}

/**
 * bcrypt in a pool of worker threads (piscina), so key checks never take the api's event loop.
 * The threads run at a lower priority (nice +10) so that, on a busy machine, requests with a
 * cached key are served before failed logins are checked.
 */
export class WorkerBcrypt implements BcryptRunner {
  private readonly pool: Piscina;

  constructor(private readonly options: WorkerBcryptOptions & { filename: string }) {
    this.pool = new Piscina({
      filename: options.filename,
      minThreads: options.threads,
      maxThreads: options.threads,
      maxQueue: options.maxQueue,
      idleTimeout: 60_000,
      niceIncrement: 10,
    });
  }

  compare(key: string, hash: string): Promise<boolean> {
    return this.run('compare', { key, hash });
  }

  hash(key: string, cost: number): Promise<string> {
    return this.run('hash', { key, cost });
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private run<N extends keyof typeof worker>(
    name: N,
    task: Parameters<(typeof worker)[N]>[0],
  ): Promise<ReturnType<(typeof worker)[N]>> {
    // Refused before queueing, so the caller can answer "busy" instead of waiting.
    if (this.pool.queueSize >= this.options.maxQueue) {
      return Promise.reject(new BcryptBusyError());
    }
    return this.pool.run(task, { name }) as Promise<ReturnType<(typeof worker)[N]>>;
  }
}
