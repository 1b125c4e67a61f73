import bcrypt from 'bcryptjs';
import type { BcryptRunner } from './bcrypt-runner.port';

/**
 * bcrypt on the calling thread, at most `maxConcurrent` at once (the rest wait). Used where no
 * worker file exists (running from sources) and as `verify-threads: 0`; bcryptjs yields between
 * rounds, but each check still takes the event loop's CPU, which is what the worker pool avoids.
 */
export class InlineBcrypt implements BcryptRunner {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxConcurrent = 4) {}

  async compare(key: string, hash: string): Promise<boolean> {
    await this.acquire();
    try {
      return await bcrypt.compare(key, hash).catch(() => false);
    } finally {
      this.release();
    }
  }

  hash(key: string, cost: number): Promise<string> {
    return bcrypt.hash(key, cost);
  }

  async close(): Promise<void> {}

  private async acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r)); // the releaser hands its slot over
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
