import { Inject, Injectable } from '@nestjs/common';
import { DomainError, shortfallBehind } from '@app/domain';
import type { NodeSpec, Shortfall } from '@app/domain';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import type { SessionQueue } from '../ports/session-queue';
import { READY_NODE_CANDIDATES, SESSION_QUEUE } from '../tokens';

/**
 * A fresh request stands behind every queued one (docs/domain.md "Queued requests"): it may
 * only take nodes beyond what the line wants from each pool, so it cannot starve the line.
 */
@Injectable()
export class QueueAdmission {
  constructor(
    @Inject(SESSION_QUEUE) private readonly queue: SessionQueue,
    @Inject(READY_NODE_CANDIDATES) private readonly candidates: ReadyNodeCandidates,
  ) {}

  /** `pool_exhausted` with `{pool, requested, ready, queued_ahead}` when a pool is short. */
  async assertNoneAhead(specs: readonly NodeSpec[]): Promise<void> {
    let short = this.shortfall(specs);
    if (short) {
      // The views may be behind a retire or a served request: look again before refusing.
      await Promise.all([this.queue.refresh(), this.candidates.refresh()]);
      short = this.shortfall(specs);
    }
    if (short) throw exhausted(short);
  }

  /** The facts of a pool that ran short while reserving (the views were behind). */
  explain(error: DomainError): DomainError {
    const pool = error.facts?.pool;
    if (typeof pool !== 'string') return error;
    const requested = Number(error.facts?.requested ?? 0);
    const short = this.shortfall([{ pool, quantity: requested }]);
    return short ? exhausted(short) : error;
  }

  private shortfall(specs: readonly NodeSpec[]): Shortfall | null {
    const ready = (pool: string) => this.candidates.readyNodes(pool).length;
    return shortfallBehind(this.queue.queued(), ready, specs);
  }
}

function exhausted(short: Shortfall): DomainError {
  const { pool, requested } = short;
  return new DomainError(
    'pool_exhausted',
    `can't reserve nodes: quantity=${requested} pool='${pool}'`,
    { ...short },
  );
}
