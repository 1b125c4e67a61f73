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
  }
}
