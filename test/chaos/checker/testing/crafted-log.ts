import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@app/event-store';
import type { ChaosRunEvidence } from '../chaos-run-evidence';

/**
 * Hand-made logs for the rules' specs: events appended in order get positions 1, 2, …; every
 * event's `at` is `t0 + seconds` of the builder's clock, moved with `after(s)`.
 */
export class CraftedLog {
  readonly events: RecordedEvent[] = [];
  private readonly revisions = new Map<string, number>();
  private clockMs: number;

  constructor(readonly t0 = Date.parse('2026-12-03T10:00:00.000Z')) {
    this.clockMs = t0;
  }

  /** Moves the clock on by `seconds`. */
  after(seconds: number): this {
    this.clockMs += seconds * 1000;
    return this;
  }

  get at(): string {
    return new Date(this.clockMs).toISOString();
  }

  append(stream: string, type: string, data: Record<string, unknown>): this {
    const revision = (this.revisions.get(stream) ?? -1) + 1;
    this.revisions.set(stream, revision);
    this.events.push({
      id: randomUUID(),
      type,
      stream,
      revision,
      position: this.events.length + 1,
      data: { at: this.at, ...data },
      metadata: {},
      timestamp: new Date(this.clockMs),
    });
    return this;
  }

  tenant(name: string, o: { nodeQuota?: number | null; isAdmin?: boolean } = {}): this {
    return this.append(`tenant-${name}`, 'TenantCreated', {
      tenantId: 1,
      name,
      isAdmin: o.isAdmin ?? false,
      sshKey: 'ssh-ed25519 AAAA',
      apiKeyHash: 'x',
      nodeQuota: o.nodeQuota ?? null,
      sessionLifetimeMs: null,
      sessionLifetimeMaxMs: null,
    });
  }

  /** A placeholder node made ready in `pool`. */
  readyNode(nodeId: number, pool: string, reusable = false): this {
    return this.append(`node-${nodeId}`, 'NodeProvisioningStarted', { nodeId, pool, reusable })
      .after(1)
      .append(`node-${nodeId}`, 'NodeProvisioningSucceeded', {
        nodeId,
        hostname: `n${nodeId}`,
        ipaddr: `127.4.0.${nodeId}`,
        provision: {},
      });
  }

  /** A request allotted and allocated in one go, as AllocateInOneAppend writes it. */
  allocated(sessionId: number, tenant: string, nodes: { nodeId: number; pool: string }[]): this {
    this.requested(sessionId, tenant, specsOf(nodes));
    this.append(`tenant-${tenant}`, 'TenantNodesAllotted', {
      name: tenant,
      sessionId,
      count: nodes.length,
    });
    this.append(`session-${sessionId}`, 'NodesAllocated', { sessionId, nodes });
    for (const n of nodes) {
      this.append(`node-${n.nodeId}`, 'NodeReserved', {
        nodeId: n.nodeId,
        sessionId,
        tenant,
        pool: n.pool,
      });
    }
    return this;
  }

  requested(sessionId: number, tenant: string, specs: { pool: string; quantity: number }[]): this {
    return this.append(`session-${sessionId}`, 'SessionRequested', {
      sessionId,
      tenant,
      specs,
      idempotencyKey: null,
      requestedBy: tenant,
      createdAt: this.at,
      expiresAt: new Date(this.clockMs + 3600e3).toISOString(),
    });
  }

  /** Retired by its tenant, quota returned, nodes deprovisioned. */
  retired(sessionId: number, tenant: string, nodeIds: number[]): this {
    this.append(`session-${sessionId}`, 'SessionRetired', {
      sessionId,
      by: 'tenant',
      actor: tenant,
      reason: 'retired by tenant',
    });
    this.append(`tenant-${tenant}`, 'TenantNodesReturned', {
      name: tenant,
      sessionId,
      count: nodeIds.length,
    });
    for (const nodeId of nodeIds) {
      this.append(`node-${nodeId}`, 'NodeDeprovisioningStarted', {
        nodeId,
        sessionId,
        reason: 'session retired',
      });
    }
    return this;
  }
}

function specsOf(nodes: { pool: string }[]): { pool: string; quantity: number }[] {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.pool, (counts.get(n.pool) ?? 0) + 1);
  return [...counts].map(([pool, quantity]) => ({ pool, quantity }));
}

/** Evidence of a quiet run around `events`: everything relayed and projected, verify passed. */
export function quietEvidence(
  events: RecordedEvent[],
  o: Partial<ChaosRunEvidence> = {},
): ChaosRunEvidence {
  const last = events.length === 0 ? 0 : events[events.length - 1].position;
  const lastMs = events.length === 0 ? Date.now() : events[events.length - 1].timestamp.getTime();
  return {
    events,
    answers: [],
    markers: [],
    relayed: events.map((e, i) => ({ eventId: e.id, streamSeq: i + 1 })),
    projectorCheckpoint: last,
    relayCheckpoint: last,
    verify: { exitCode: 0, output: 'read models match the log' },
    now: new Date(lastMs + 1000),
    timeouts: { provisioningMs: 25_000, contextualizingMs: 20_000, deprovisioningMs: 25_000 },
    graceMs: 15_000,
    defaultQuota: 4,
    pools: [
      { name: 'static', fillLevel: 4, mechanism: 'static' },
      { name: 'cloud', fillLevel: 3, mechanism: 'ansible' },
      { name: 'wide', fillLevel: 20, mechanism: 'static' },
    ],
    ...o,
  };
}
