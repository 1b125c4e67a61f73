import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { NodeEvent, NodeState, STREAM_PREFIX, nodeDecider, streamId } from '@app/domain';
import { RecordedEvent, Subscription } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { NodeCandidate } from '../ports/ready-node-candidates';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import { EVENT_STORE } from '../tokens';

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
  /** Every node event at or below this global position has been applied. */
  private checkpoint = 0;
  private subscription: Subscription | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Starts the live feed; without it the view only moves on refresh(). */
  start(): void {
    if (this.subscription) return;
    const subscription = this.store.subscribeToAll({ after: this.checkpoint, filter: NODE_EVENTS });
    this.subscription = subscription;
    void (async () => {
      try {
        for await (const event of subscription) this.apply(event);
      } catch {
        // closed or failed: refresh() still catches up on demand
      } finally {
        if (this.subscription === subscription) this.subscription = undefined;
      }
    })();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  readyNodes(pool: string): NodeCandidate[] {
    const ready: NodeCandidate[] = [];
    for (const [nodeId, { state, revision }] of this.nodes) {
      if (state.status === 'ready' && !state.retired && state.pool === pool) {
        ready.push({ nodeId, revision, state });
      }
    }
    return shuffle(ready);
  }

  /** Concurrent callers share one catch-up read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  observe(nodeId: number, state: NodeState, revision: number): void {
    const known = this.nodes.get(nodeId);
    if (!known || revision > known.revision) this.nodes.set(nodeId, { state, revision });
  }

  private async catchUp(): Promise<void> {
    const events = await this.store.readAll({ after: this.checkpoint, filter: NODE_EVENTS });
    for (const event of events) this.apply(event);
  }

  private apply(event: RecordedEvent): void {
    this.checkpoint = Math.max(this.checkpoint, event.position);
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

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
