import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AllocatedNode,
  isDomainError,
  nodeDecider,
  NodeState,
  nodeStream,
  sessionDecider,
  SessionState,
  sessionStream,
  specsByPool,
  STREAM_PREFIX,
  tenantDecider,
  TenantState,
  tenantStream,
  toMs,
} from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CompensateSessionRequest } from '../request-session/compensate-session-request';
import { SessionIdempotencyKeys } from '../request-session/session-idempotency-keys';
import { CLOCK, EVENT_STORE, RECONCILER_OPTIONS } from '../tokens';
import { foldStreams } from '../aggregate/fold-streams';
import {
  ReconcileReport,
  ReconcileSessionRequestsCommand,
} from './reconcile-session-requests.command';
import type { ReconcilerOptions } from './reconcile-session-requests.command';

const DEFAULT_OPTIONS: ReconcilerOptions = { staleAfterMs: 60_000 };
const METADATA: EventMetadata = { actor: 'system:reconciler' };

/**
 * Finds sessions whose request was cut short between its appends and completes them when
 * everything was already reserved, else gives back what they hold and fails them:
 * - requested, neither allocated nor failed, older than the threshold;
 * - allocated, but with nodes not (or no longer) reserved for it;
 * - failed, yet still holding nodes or quota; retired, yet still holding quota.
 * Decisions are made on fresh reads of each stream; the scan only finds suspects.
 */
@CommandHandler(ReconcileSessionRequestsCommand)
export class ReconcileSessionRequestsHandler implements ICommandHandler<ReconcileSessionRequestsCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly compensate: CompensateSessionRequest,
    private readonly idempotencyKeys: SessionIdempotencyKeys,
    @Optional() @Inject(RECONCILER_OPTIONS) private readonly options?: ReconcilerOptions,
  ) {}

  async execute(command: ReconcileSessionRequestsCommand): Promise<ReconcileReport> {
    const { staleAfterMs } = { ...DEFAULT_OPTIONS, ...this.options, ...command.options };
    const nowMs = this.clock.now().getTime();
    const [sessions, nodes, tenants] = await Promise.all([
      foldStreams(this.store, STREAM_PREFIX.session, sessionDecider),
      foldStreams(this.store, STREAM_PREFIX.node, nodeDecider),
      foldStreams(this.store, STREAM_PREFIX.tenant, tenantDecider),
    ]);
    const heldBy = nodesBySession(nodes);
    const report: ReconcileReport = { finished: [], compensated: [] };
    for (const session of sessions.values()) {
      const id = session.sessionId;
      const held = heldBy.get(id) ?? [];
      const allotted = tenants.get(tenantStream(session.tenant))?.allotments[id] ?? 0;
      const stale = session.createdAt !== null && nowMs - toMs(session.createdAt) >= staleAfterMs;
      switch (session.status) {
        case 'requested':
          if (stale) await this.finishOrCompensate(session, held, report);
          break;
        case 'allocated':
          if (stale && !holdsExactly(session, held, nodes)) {
            const ids = [...new Set([...held, ...session.nodes.map((n) => n.nodeId)])];
            await this.giveBack(session, ids, 'allocation_inconsistent', report);
          }
          break;
        case 'queued':
          // A turn (stepwise, EventStoreDB) cut short holds part of a set: the nodes go back,
          // the request keeps its quota and its place, and is served whole later.
          if (held.length > 0)
            await this.releaseStuckTurn(session, held, staleAfterMs, nowMs, report);
          break;
        case 'failed':
        case 'retired':
          // A retired session's nodes are the retire saga's; only its quota is ours to return.
          if ((session.status === 'failed' && held.length > 0) || allotted > 0) {
            const ids = session.status === 'failed' ? held : [];
            await this.giveBack(session, ids, session.failure?.reason ?? 'retired', report);
          }
          break;
      }
    }
    return report;
  }

  /** Releases the nodes reserved for a queued session longer than `staleAfterMs` ago. */
  private async releaseStuckTurn(
    session: SessionState,
    held: number[],
    staleAfterMs: number,
    nowMs: number,
    report: ReconcileReport,
  ): Promise<void> {
    const stuck: number[] = [];
    for (const nodeId of held) {
      const [last] = await this.store.readStream(nodeStream(nodeId), {
        direction: 'backwards',
        maxCount: 1,
      });
      // Events carry their own time (the Clock's), as every age here is counted.
      const at = (last?.data as { at?: string } | undefined)?.at;
      const sinceMs = at ? toMs(at) : last?.timestamp.getTime();
      if (sinceMs !== undefined && nowMs - sinceMs >= staleAfterMs) stuck.push(nodeId);
    }
    if (stuck.length === 0) return;
    const { sessionId, tenant } = session;
    const now = this.clock.now().toISOString();
    await this.compensate.releaseNodes({
      sessionId,
      tenant,
      nodeIds: stuck,
      reason: 'interrupted',
      now,
      metadata: METADATA,
    });
    report.compensated.push(sessionId);
  }

  private async finishOrCompensate(
    session: SessionState,
    suspects: number[],
    report: ReconcileReport,
  ): Promise<void> {
    const id = session.sessionId;
    if (session.idempotencyKey !== null) {
      const owner = await this.idempotencyKeys.claim(
        session.tenant,
        session.idempotencyKey,
        id,
        METADATA,
      );
      if (owner !== id) return this.giveBack(session, suspects, 'duplicate_request', report);
    }
    const held: AllocatedNode[] = [];
    for (const nodeId of suspects) {
      const node = (await loadAggregate(this.store, nodeStream(nodeId), nodeDecider)).state;
      if (node.sessionId === id && node.pool) held.push({ nodeId, pool: node.pool });
    }
    const tenant = (await loadAggregate(this.store, tenantStream(session.tenant), tenantDecider))
      .state;
    if (isComplete(session, held, tenant)) {
      try {
        await runDecider(
          this.store,
          sessionStream(id),
          sessionDecider,
          { type: 'AllocateNodes', data: { nodes: held, now: this.clock.now().toISOString() } },
          { metadata: METADATA },
        );
        report.finished.push(id);
        return;
      } catch (error) {
        if (!isDomainError(error)) throw error;
      }
    }
    await this.giveBack(session, suspects, 'interrupted', report);
  }

  private async giveBack(
    session: SessionState,
    nodeIds: number[],
    reason: string,
    report: ReconcileReport,
  ): Promise<void> {
    await this.compensate.run({
      sessionId: session.sessionId,
      tenant: session.tenant,
      nodeIds,
      reason,
      detail: `session request ${reason.replace(/_/g, ' ')}; repaired by the reconciler`,
      now: this.clock.now().toISOString(),
      metadata: METADATA,
    });
    report.compensated.push(session.sessionId);
  }
}

function nodesBySession(nodes: Map<string, NodeState>): Map<number, number[]> {
  const held = new Map<number, number[]>();
  for (const node of nodes.values()) {
    if (node.sessionId === null) continue;
    held.set(node.sessionId, [...(held.get(node.sessionId) ?? []), node.nodeId]);
  }
  return held;
}

function holdsExactly(
  session: SessionState,
  held: number[],
  nodes: Map<string, NodeState>,
): boolean {
  const allocated = session.nodes.map((n) => n.nodeId);
  return (
    allocated.every((id) => nodes.get(nodeStream(id))?.sessionId === session.sessionId) &&
    held.every((id) => allocated.includes(id))
  );
}

/** Quota allotted and exactly the requested nodes reserved: only NodesAllocated is missing. */
function isComplete(session: SessionState, held: AllocatedNode[], tenant: TenantState): boolean {
  const total = session.specs.reduce((sum, s) => sum + s.quantity, 0);
  const wanted = JSON.stringify(specsByPool(session.specs));
  const got = JSON.stringify(specsByPool(held.map((n) => ({ pool: n.pool, quantity: 1 }))));
  return tenant.allotments[session.sessionId] === total && wanted === got;
}
