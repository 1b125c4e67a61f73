import { Inject, Injectable, Optional } from '@nestjs/common';
import { orderQueue, queueEta, specsByPool } from '@app/domain';
import type { QueueStanding } from '@app/domain';
import type { Clock } from '../ports/clock';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import type { QueuedSession, SessionQueue } from '../ports/session-queue';
import { ReadyNodesProjection } from '../projections/ready-nodes.projection';
import { CLOCK, READY_NODE_CANDIDATES, SESSION_QUEUE } from '../tokens';

/** A queued request's place in line, as clients see it. */
export interface QueuePlace {
  position: number;
  aheadNodes: number;
  /** ISO 8601, or null when the pools have no recent rate to go by. */
  eta: string | null;
  deadline: string;
}

/** Standings of the queue right now: the QueueServer serves by them, the api reports them. */
@Injectable()
export class QueueStandings {
  constructor(
    @Inject(SESSION_QUEUE) private readonly queue: SessionQueue,
    @Inject(READY_NODE_CANDIDATES) private readonly candidates: ReadyNodeCandidates,
    @Inject(CLOCK) private readonly clock: Clock,
    /** Absent where the process has no live node view: no ETA then. */
    @Optional() private readonly arrivals?: ReadyNodesProjection,
  ) {}

  /** Every queued request, in order, with whether its set can be reserved now. */
  now(): Array<{ request: QueuedSession; standing: QueueStanding }> {
    const queued = new Map(this.queue.queued().map((q) => [q.sessionId, q]));
    // Counting a pool's ready nodes walks the view: once per pool and pass.
    const counts = new Map<string, number>();
    const ready = (pool: string) => {
      let n = counts.get(pool);
      if (n === undefined) counts.set(pool, (n = this.ready(pool)));
      return n;
    };
    return orderQueue([...queued.values()], ready).map((standing) => ({
      request: queued.get(standing.sessionId) as QueuedSession,
      standing,
    }));
  }

  /** The request's place; undefined when it is not (or no longer, or not yet seen) queued. */
  async of(sessionId: number): Promise<QueuePlace | undefined> {
    return (await this.placesOf([sessionId])).get(sessionId);
  }

  /**
   * The places of several requests from one pass over the line (a list answer would otherwise
   * walk the line once per queued session); the view catches up once if one is missing.
   */
  async placesOf(sessionIds: readonly number[]): Promise<Map<number, QueuePlace>> {
    const wanted = new Set(sessionIds);
    let entries = this.now().filter((e) => wanted.has(e.request.sessionId));
    if (entries.length < wanted.size) {
      await this.queue.refresh();
      entries = this.now().filter((e) => wanted.has(e.request.sessionId));
    }
    const nowMs = this.clock.now().getTime();
    return new Map(
      entries.map((e) => [e.request.sessionId, this.place(e.request, e.standing, nowMs)]),
    );
  }

  private place(request: QueuedSession, standing: QueueStanding, nowMs: number): QueuePlace {
    const lacking = specsByPool(request.specs).map(({ pool, quantity }) => ({
      pool,
      nodes: (standing.aheadByPool[pool] ?? 0) + quantity - this.ready(pool),
    }));
    const eta = this.arrivals
      ? queueEta(lacking, (pool) => this.arrivals?.recentArrivals(pool) ?? [], nowMs)
      : null;
    return {
      position: standing.position,
      aheadNodes: standing.aheadNodes,
      eta: eta === null ? null : new Date(eta).toISOString(),
      deadline: request.deadline,
    };
  }

  private ready(pool: string): number {
    return this.candidates.readyNodes(pool).length;
  }
}
