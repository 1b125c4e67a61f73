import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { isReadyIn, NodeEvent, NodeState, STREAM_PREFIX, nodeDecider, streamId } from '@app/domain';
import { RecordedEvent } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { NodeCandidate } from '../ports/ready-node-candidates';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import { EVENT_STORE } from '../tokens';
import { CatchUpFeed } from './catch-up-feed';

interface NodeEntry {
  state: NodeState;
  revision: number;
}

const NODE_EVENTS = { streamPrefixes: [STREAM_PREFIX.node] };
/** How many recent arrivals per pool the queue's ETA is estimated from. */
const ARRIVALS_KEPT = 20;

/**
 * In-process view of every node's state, fed by the event store (live subscription and/or
 * on-demand catch-up). Entries advance only to higher stream revisions, so the two feeds and
 * first-hand observations can interleave in any order.
 */
@Injectable()
export class ReadyNodesProjection
  implements ReadyNodeCandidates, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly nodes = new Map<number, NodeEntry>();
  /** Per pool: when its latest nodes became ready (event time, ms), oldest first. */
  private readonly arrivals = new Map<string, number[]>();
  private readonly readyListeners = new Set<(pool: string) => void>();
  private readonly feed: CatchUpFeed;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.feed = new CatchUpFeed(store, NODE_EVENTS, (event) => this.apply(event));
  }

  /** Starts the live feed; without it the view only moves on refresh(). */
  start(): void {
    this.feed.start();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  stop(): Promise<void> {
    return this.feed.stop();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** In no particular order: the order to try them is pick-nodes.ts's to choose. */
  readyNodes(pool: string): NodeCandidate[] {
    const readyInPool = isReadyIn(pool);
    const ready: NodeCandidate[] = [];
    for (const [nodeId, { state, revision }] of this.nodes) {
      if (readyInPool(state)) ready.push({ nodeId, revision, state });
    }
    return ready;
  }

  /** Catches up with the log as of this call (concurrent callers share reads). */
  refresh(): Promise<void> {
    return this.feed.refresh();
  }

  /** When the pool's latest nodes became ready (ms), oldest first: its recent rate. */
  recentArrivals(pool: string): readonly number[] {
    return this.arrivals.get(pool) ?? [];
  }

  /** Told of the pool whenever a node of it becomes ready (the queue may be served). */
  onReady(listener: (pool: string) => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  observe(nodeId: number, state: NodeState, revision: number): void {
    const known = this.nodes.get(nodeId);
    if (!known || revision > known.revision) this.nodes.set(nodeId, { state, revision });
  }

  private apply(event: RecordedEvent): void {
    const nodeId = streamId(event.stream, STREAM_PREFIX.node);
    if (nodeId === undefined) return;
    const known = this.nodes.get(nodeId) ?? { state: nodeDecider.initialState(), revision: -1 };
    if (event.revision <= known.revision) return;
    const state = nodeDecider.evolve(known.state, {
      type: event.type,
      data: event.data,
    } as NodeEvent);
    this.nodes.set(nodeId, { state, revision: event.revision });
    const pool = state.pool;
    if (pool && isReadyIn(pool)(state) && !isReadyIn(pool)(known.state)) {
      const times = this.arrivals.get(pool) ?? [];
      times.push(event.timestamp.getTime());
      if (times.length > ARRIVALS_KEPT) times.shift();
      this.arrivals.set(pool, times);
      for (const listener of this.readyListeners) listener(pool);
    }
  }
}
