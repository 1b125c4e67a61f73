import {
  isReadyIn,
  isReusableIdle,
  NodeEvent,
  nodeDecider,
  NodeState,
  nodeStream,
  PoolEvent,
  SessionEvent,
  sessionDecider,
  SessionState,
  STREAM_PREFIX,
  streamId,
} from '@app/domain';
import { CatchUpFeed, Clock, SystemClock } from '@app/application';
import type { EventStore, RecordedEvent } from '@app/event-store';

export interface NodeView {
  state: NodeState;
  revision: number;
  /** When the node entered its current state (event time, ms). */
  sinceMs: number;
  /** The pool it last belonged to: deprovisioning clears `state.pool`, the saga still needs it. */
  homePool: string | null;
  /** What an admin registered with it (reuse-nodes selectors look here). */
  data: Record<string, unknown>;
  /** The provisioning result (`data.provision`), for deprovisioning playbooks. */
  provision: Record<string, unknown> | null;
  /** Session whose retirement or compensation started the current deprovisioning. */
  deprovisioningFor: number | null;
}

export interface SessionView {
  state: SessionState;
  revision: number;
}

export interface PoolFillHistory {
  /** Fill runs in a row in which every node failed. */
  failureStreak: number;
  lastFinishedMs: number;
}

const FEED = {
  streamPrefixes: [STREAM_PREFIX.node, STREAM_PREFIX.session, STREAM_PREFIX.pool],
};

/**
 * The provisioner's own picture of nodes, sessions and fill runs, derived from the event store
 * (live subscription plus on-demand catch-up), so it needs none of the API's read models.
 * Entries only move to higher stream revisions, so both feeds may interleave.
 */
export class ProvisionerView {
  readonly nodes = new Map<number, NodeView>();
  readonly sessions = new Map<number, SessionView>();
  private readonly pools = new Map<string, PoolFillHistory>();
  private readonly poolRevisions = new Map<string, number>();
  private readonly feed: CatchUpFeed;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.feed = new CatchUpFeed(store, FEED, (event) => this.apply(event));
  }

  start(): void {
    this.feed.start();
  }

  stop(): Promise<void> {
    return this.feed.stop();
  }

  /** Reads what the live feed may not have delivered yet (see CatchUpFeed.refresh). */
  refresh(): Promise<void> {
    return this.feed.refresh();
  }

  /**
   * A node as its own stream says now. The store's readAll only returns settled events, so
   * refresh() may not yet show an append just made; a stream read does.
   */
  async loadNode(nodeId: number): Promise<NodeView | undefined> {
    let view: NodeView | undefined;
    for (const e of await this.store.readStream(nodeStream(nodeId))) {
      view = foldNode(view, e, new Date(e.timestamp).getTime()) ?? view;
    }
    const known = this.nodes.get(nodeId);
    if (view && (!known || view.revision > known.revision)) this.nodes.set(nodeId, view);
    return view;
  }

  /** Waits until every event up to `position` is in the view (decisions that count nodes). */
  async catchUpTo(position: number, timeoutMs = 10_000): Promise<void> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    for (;;) {
      await this.refresh();
      if (this.feed.position >= position) return;
      if (this.clock.now().getTime() > deadline)
        throw new Error(`view did not reach position ${position}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  readyCount(pool: string): number {
    let n = 0;
    for (const { state } of this.nodes.values()) {
      if (isReadyIn(pool)(state)) n++;
    }
    return n;
  }

  /** Nodes of the pool that queued requests wait for: the fill makes them beyond its level. */
  queuedDemand(pool: string): number {
    let n = 0;
    for (const { state } of this.sessions.values()) {
      if (state.status !== 'queued') continue;
      for (const spec of state.specs) if (spec.pool === pool) n += spec.quantity;
    }
    return n;
  }

  nodesOfPool(pool: string): NodeView[] {
    return [...this.nodes.values()].filter((n) => !n.state.retired && n.state.pool === pool);
  }

  /** Addresses the pool's live nodes hold (failed and done nodes hold none). */
  addressesHeld(pool: string, except: readonly number[] = []): Set<string> {
    const held = new Set<string>();
    for (const n of this.nodesOfPool(pool)) {
      if (except.includes(n.state.nodeId) || !n.state.ipaddr) continue;
      if (n.state.status === 'failed' || n.state.status === 'done') continue;
      held.add(n.state.ipaddr);
    }
    return held;
  }

  /** Reusable machines waiting in no pool (compat §4.2 step 4; registered nodes may name one). */
  unusedReusable(): NodeView[] {
    return [...this.nodes.values()].filter((n) => isReusableIdle(n.state));
  }

  fillHistory(pool: string): PoolFillHistory {
    return this.pools.get(pool) ?? { failureStreak: 0, lastFinishedMs: 0 };
  }

  private apply(event: RecordedEvent): void {
    const atMs = new Date(event.timestamp).getTime();
    const nodeId = streamId(event.stream, STREAM_PREFIX.node);
    if (nodeId !== undefined) return this.applyNode(nodeId, event, atMs);
    const sessionId = streamId(event.stream, STREAM_PREFIX.session);
    if (sessionId !== undefined) return this.applySession(sessionId, event);
    if (event.stream.startsWith(STREAM_PREFIX.pool)) this.applyPool(event, atMs);
  }

  private applyNode(nodeId: number, event: RecordedEvent, atMs: number): void {
    const next = foldNode(this.nodes.get(nodeId), event, atMs);
    if (next) this.nodes.set(nodeId, next);
  }

  private applySession(sessionId: number, event: RecordedEvent): void {
    const known = this.sessions.get(sessionId) ?? {
      state: sessionDecider.initialState(),
      revision: -1,
    };
    if (event.revision <= known.revision) return;
    const state = sessionDecider.evolve(known.state, {
      type: event.type,
      data: event.data,
    } as SessionEvent);
    this.sessions.set(sessionId, { state, revision: event.revision });
  }

  private applyPool(event: RecordedEvent, atMs: number): void {
    if ((this.poolRevisions.get(event.stream) ?? -1) >= event.revision) return;
    this.poolRevisions.set(event.stream, event.revision);
    const e = { type: event.type, data: event.data } as PoolEvent;
    if (e.type !== 'PoolFillFinished') return;
    const { pool, succeeded, failed } = e.data;
    const before = this.fillHistory(pool);
    const allFailed = succeeded === 0 && failed > 0;
    this.pools.set(pool, {
      failureStreak: allFailed
        ? before.failureStreak + 1
        : succeeded > 0
          ? 0
          : before.failureStreak,
      lastFinishedMs: atMs,
    });
  }
}

function foldNode(
  known: NodeView | undefined,
  event: RecordedEvent,
  atMs: number,
): NodeView | undefined {
  const base = known ?? {
    state: nodeDecider.initialState(),
    revision: -1,
    sinceMs: atMs,
    homePool: null,
    data: {},
    provision: null,
    deprovisioningFor: null,
  };
  if (event.revision <= base.revision) return undefined;
  const e = { type: event.type, data: event.data } as NodeEvent;
  const state = nodeDecider.evolve(base.state, e);
  const next: NodeView = { ...base, state, revision: event.revision };
  if (state.status !== base.state.status) next.sinceMs = atMs;
  if (state.pool) next.homePool = state.pool;
  if (e.type === 'NodeRegistered') next.data = e.data.data ?? {};
  if (e.type === 'NodeProvisioningSucceeded') next.provision = e.data.provision;
  if (e.type === 'NodeDeprovisioningStarted') next.deprovisioningFor = e.data.sessionId;
  return next;
}
