import { SeededRandom } from '../seeded-random';
import { AnswerLog } from './answer-log';
import { legacyCycle } from './legacy-cycle';
import { LoadContext } from './load-context';
import type { LoadOptions, LoadSummary } from './load-options';
import { clientRandomSeed } from './request-plan';
import { restCycle } from './rest-cycle';

/** Every sixth client talks to the metaclient, when there is one and tenants with legacy keys. */
const LEGACY_EVERY = 6;

/**
 * Many tenants' CI jobs against the api instances (round-robin) and the metaclient, each
 * virtual client looping through request-use-retire cycles until stop(). Every answer (every
 * try) is a line of answers.jsonl for the checker.
 */
export class LoadGenerator {
  private readonly ctx: LoadContext;
  private running: Promise<void>[] = [];

  constructor(private readonly options: LoadOptions) {
    if (options.apis.length === 0) throw new Error('the load needs at least one api');
    if (options.tenants.length === 0) throw new Error('the load needs at least one tenant');
    if (options.pools.length === 0) throw new Error('the load needs at least one pool');
    this.ctx = new LoadContext(options, new AnswerLog(options.answersFile));
  }

  start(): void {
    if (this.running.length > 0) throw new Error('the load is already running');
    const legacyTenants = this.options.tenants.flatMap((t) =>
      t.legacyKey ? [{ name: t.name, legacyKey: t.legacyKey }] : [],
    );
    const metaclient = this.options.metaclient;
    const legacy =
      metaclient !== undefined &&
      legacyTenants.length > 0 &&
      this.options.legacyRequests.length > 0;
    for (let i = 0; i < this.options.clients; i++) {
      const rng = new SeededRandom(clientRandomSeed(this.options.seed, i));
      const cycle =
        legacy && i % LEGACY_EVERY === LEGACY_EVERY - 1
          ? () => legacyCycle(this.ctx, rng, legacyTenants, metaclient)
          : () => restCycle(this.ctx, rng);
      this.running.push(this.loop(cycle, rng));
    }
  }

  /** Ends the load: current tries finish (each bounded by requestTimeoutMs), held sessions are retired. */
  async stop(): Promise<LoadSummary> {
    this.ctx.stop();
    await Promise.all(this.running);
    await this.ctx.log.close();
    return this.ctx.log.summary;
  }

  private async loop(cycle: () => Promise<void>, rng: SeededRandom): Promise<void> {
    while (!this.ctx.stopping) {
      try {
        await cycle();
      } catch (error) {
        // A bug of the load, not an answer of the system: say so, keep the client going.
        console.error(`chaos load: a client's cycle failed: ${(error as Error).stack ?? error}`);
        await this.ctx.pause(rng.int(200, 500));
      }
      this.ctx.log.summary.cycles++;
    }
  }
}
