import type { AnswerLog } from './answer-log';
import type { LoadOptions } from './load-options';

/** What every virtual client shares: the options, the answer log, the api rotation, stopping. */
export class LoadContext {
  private nextIndex = 0;
  private stopped = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    readonly options: LoadOptions,
    readonly log: AnswerLog,
  ) {}

  get stopping(): boolean {
    return this.stopped;
  }

  /** Round-robin over the api instances: every call takes the next one. */
  nextApi(): string {
    const apis = this.options.apis;
    return apis[this.nextIndex++ % apis.length];
  }

  /** The api after `api` in the list (itself when there is only one). */
  otherApi(api: string): string {
    const apis = this.options.apis;
    return apis[(apis.indexOf(api) + 1) % apis.length];
  }

  stop(): void {
    this.stopped = true;
    for (const wake of this.wakers) wake();
  }

  /** A pause that ends early when the load stops (holds, back-offs, polls). */
  pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

/** A pause that always lasts (between the tries of a clean-up at stop). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
