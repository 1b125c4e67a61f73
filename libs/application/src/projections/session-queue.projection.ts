import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { NodeSpec, STREAM_PREFIX, streamId } from '@app/domain';
import type { SessionEvent, TenantEvent } from '@app/domain';
import type { EventStore, RecordedEvent } from '@app/event-store';
import type { QueuedSession, SessionQueue } from '../ports/session-queue';
import { EVENT_STORE } from '../tokens';
import { CatchUpFeed } from './catch-up-feed';

const QUEUE_EVENTS = { streamPrefixes: [STREAM_PREFIX.session, STREAM_PREFIX.tenant] };

interface Pending {
  tenant: string;
  specs: NodeSpec[];
}

/**
 * The queue as the log says it: a session joins at its SessionQueued (its global position is its
 * place) and leaves at NodesAllocated, SessionFailed or SessionRetired. Fed like the ready-node
 * view (live subscription plus catch-up on demand); events seen twice are ignored by revision.
 */
@Injectable()
export class SessionQueueProjection
  implements SessionQueue, OnApplicationBootstrap, OnModuleDestroy
{
  /** Requested, not yet queued or settled: the specs a SessionQueued will need. */
  private readonly pending = new Map<number, Pending>();
  private readonly waiting = new Map<number, QueuedSession>();
  /** Last revision applied per session / tenant stream. */
  private readonly revisions = new Map<string, number>();
  private readonly retiredTenants = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly feed: CatchUpFeed;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.feed = new CatchUpFeed(store, QUEUE_EVENTS, (event) => this.apply(event));
  }

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

  queued(): QueuedSession[] {
    return [...this.waiting.values()].sort((a, b) => a.queuedAt - b.queuedAt);
  }

  isTenantRetired(tenant: string): boolean {
    return this.retiredTenants.has(tenant);
  }

  refresh(): Promise<void> {
    return this.feed.refresh();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(event: RecordedEvent): void {
    if ((this.revisions.get(event.stream) ?? -1) >= event.revision) return;
    this.revisions.set(event.stream, event.revision);
    const sessionId = streamId(event.stream, STREAM_PREFIX.session);
    const changed =
      sessionId !== undefined
        ? this.applySession(sessionId, event as unknown as SessionEvent, event.position)
        : this.applyTenant({ type: event.type, data: event.data } as TenantEvent);
    if (changed) for (const listener of this.listeners) listener();
  }

  private applySession(sessionId: number, event: SessionEvent, position: number): boolean {
    switch (event.type) {
      case 'SessionRequested':
        this.pending.set(sessionId, { tenant: event.data.tenant, specs: event.data.specs });
        return false;
      case 'SessionQueued': {
        const request = this.pending.get(sessionId);
        this.pending.delete(sessionId);
        if (!request) return false;
        const { deadline } = event.data;
        this.waiting.set(sessionId, { sessionId, ...request, queuedAt: position, deadline });
        return true;
      }
      case 'NodesAllocated':
      case 'SessionFailed':
      case 'SessionRetired':
        this.pending.delete(sessionId);
        return this.waiting.delete(sessionId);
      default:
        return false;
    }
  }

  private applyTenant(event: TenantEvent): boolean {
    if (event.type === 'TenantRetired') {
      this.retiredTenants.add(event.data.name);
      return [...this.waiting.values()].some((q) => q.tenant === event.data.name);
    }
    if (event.type === 'TenantReactivated') this.retiredTenants.delete(event.data.name);
    return false;
  }
}
