import { Inject, Injectable } from '@nestjs/common';
import {
  isDomainError,
  nodeDecider,
  nodeStream,
  sessionDecider,
  SessionState,
  sessionStream,
} from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import type { PoolCatalog } from '../ports/pool-catalog';
import { CLOCK, EVENT_STORE, POOL_CATALOG } from '../tokens';

/**
 * Nodes of pools configured with `contextualize: false` need no tenant key: they are deployed
 * as soon as they are allocated, and a session made only of such nodes is active at once (the
 * provisioner contextualizes the others, and then activates the session).
 */
@Injectable()
export class DeployUncontextualized {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(POOL_CATALOG) private readonly pools: PoolCatalog,
  ) {}

  /** Returns the session as it stands afterwards. */
  async run(session: SessionState, metadata: EventMetadata): Promise<SessionState> {
    if (session.status !== 'allocated') return session;
    const { sessionId } = session;
    const plain = session.nodes.filter((n) => !this.pools.needsContextualization(n.pool));
    for (const { nodeId } of plain) {
      await ignoringRaces(
        runDecider(
          this.store,
          nodeStream(nodeId),
          nodeDecider,
          { type: 'MarkContextualized', data: { sessionId, now: this.now() } },
          { metadata },
        ),
      );
    }
    if (plain.length === 0 || plain.length < session.nodes.length) return session;
    const activated = await ignoringRaces(
      runDecider(
        this.store,
        sessionStream(sessionId),
        sessionDecider,
        { type: 'ActivateSession', data: { now: this.now() } },
        { metadata },
      ),
    );
    return activated?.state ?? session;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** A concurrent retire or the provisioner may have moved on; the session's state tells. */
async function ignoringRaces<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return undefined;
  }
}
