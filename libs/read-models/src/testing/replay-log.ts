import { randomUUID } from 'node:crypto';
import type {
  NodeEvent,
  PoolEvent,
  RunEvent,
  SessionEvent,
  TenantEvent,
  TenantLimits,
} from '@app/domain';
import { nodeStream, poolStream, runStream, sessionStream, tenantStream } from '@app/domain';
import type { EventStore } from '@app/event-store';

type AnyEvent = TenantEvent | NodeEvent | SessionEvent | RunEvent | PoolEvent;
/** One append: events of one stream, written in this order relative to the script's others. */
interface Append {
  stream: string;
  events: AnyEvent[];
}

export interface ReplayLogOptions {
  /** Stop starting new cycles once about this many events are written. */
  events: number;
  tenants?: number;
  pools?: string[];
  /** Cycles appended at once: their events interleave in the log as real ones do. */
  concurrency?: number;
  /** Adds the rarer shapes (odd node data, unknown tenants, retired tenants, old run streams). */
  varied?: boolean;
}

/**
 * Writes a log shaped like a busy farm's through the store's own append: tenants, then cycles
 * that fill a pool (a run, placeholders provisioned or failed), lend the nodes to a session
 * (request, reserve, allocate, contextualize, activate, maybe extend), retire or fail it, and
 * deprovision the nodes (reusable ones go back to unused and are provisioned again, the others
 * are retired). Instants come from a counter, not the clock. Returns the events written.
 */
export async function writeReplayLog(
  store: EventStore,
  options: ReplayLogOptions,
): Promise<number> {
  const pools = options.pools ?? ['small', 'large', 'gpu'];
  const tenants = Array.from({ length: options.tenants ?? 20 }, (_, i) => `tenant${i}`);
  const clock = new StepClock();
  let written = 0;
  const write = async (appends: Append[]) => {
    for (const a of appends) {
      await store.append(a.stream, a.events, 'any');
      written += a.events.length;
    }
  };
  for (const [i, name] of tenants.entries()) {
    await write([tenantCreated(name, await store.nextId('tenant'), clock.next(), i)]);
  }
  let cycle = 0;
  const worker = async () => {
    while (written < options.events) {
      const k = cycle++;
      const nodeIds = [await store.nextId('node')];
      for (let i = 0; i < k % 3; i++) nodeIds.push(await store.nextId('node'));
      const sessionId = await store.nextId('session');
      const script = sessionCycle({
        k,
        tenant: tenants[k % tenants.length],
        pool: pools[k % pools.length],
        nodeIds,
        sessionId,
        clock,
        varied: options.varied ?? false,
      });
      await write(script);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return written;
}

class StepClock {
  private ms = Date.parse('2025-01-01T00:00:00.000Z');
  next(stepMs = 1_250): string {
    this.ms += stepMs;
    return new Date(this.ms).toISOString();
  }
}

const one = (stream: string, ...events: AnyEvent[]): Append => ({ stream, events });

function tenantCreated(name: string, tenantId: number, at: string, i: number): Append {
  const limits: TenantLimits = {
    nodeQuota: i % 3 === 0 ? null : 10 + i,
    sessionLifetimeMs: i % 2 === 0 ? null : 3_600_000 + i * 1_500,
    sessionLifetimeMaxMs: i % 4 === 0 ? 90_000_000 : null,
  };
  return one(tenantStream(name), {
    type: 'TenantCreated',
    data: {
      tenantId,
      name,
      isAdmin: i === 0,
      sshKey: `ssh-ed25519 KEY${i}`,
      apiKeyHash: `$2b$12$hash${i}`,
      ...limits,
      at,
    },
  });
}

interface Cycle {
  k: number;
  tenant: string;
  pool: string;
  nodeIds: number[];
  sessionId: number;
  clock: StepClock;
  varied: boolean;
}

function sessionCycle(c: Cycle): Append[] {
  const { k, pool, nodeIds, sessionId, clock } = c;
  const reusable = k % 4 === 1;
  const oldRuns = c.varied && k % 5 === 0; // runs on pool streams, as logs before issue 13
  const out: Append[] = [];
  out.push(...fill(c, reusable, oldRuns));
  const failedNode = c.varied && k % 7 === 3 ? nodeIds[0] : undefined;
  const served = nodeIds.filter((id) => id !== failedNode);
  const tenant = c.varied && k % 11 === 5 ? `ghost${k}` : c.tenant; // unknown: no session row
  const specs = [{ pool, quantity: served.length }];
  if (c.varied && k % 3 === 0) specs.push({ pool: 'other', quantity: 1 }, { pool, quantity: 2 });
  const sessionAt = clock.next();
  out.push(
    one(sessionStream(sessionId), {
      type: 'SessionRequested',
      data: {
        sessionId,
        tenant,
        specs,
        idempotencyKey: k % 2 === 0 ? `key-${k}` : null,
        requestedBy: k % 9 === 0 ? 'admin' : tenant,
        createdAt: sessionAt,
        expiresAt: new Date(Date.parse(sessionAt) + 6 * 3_600_000).toISOString(),
      },
    }),
  );
  if (served.length === 0 || tenant !== c.tenant) {
    out.push(failSession(sessionId, clock.next(), 'no_nodes'));
    return out;
  }
  const count = served.length;
  out.push(
    one(tenantStream(c.tenant), {
      type: 'TenantNodesAllotted',
      data: { name: c.tenant, sessionId, count, at: clock.next() },
    }),
  );
  for (const nodeId of served) {
    out.push(
      one(nodeStream(nodeId), {
        type: 'NodeReserved',
        data: { nodeId, sessionId, tenant, pool, at: clock.next() },
      }),
    );
  }
  const allocated = served.map((nodeId) => ({ nodeId, pool }));
  out.push(
    one(sessionStream(sessionId), {
      type: 'NodesAllocated',
      data: { sessionId, nodes: allocated, at: clock.next() },
    }),
  );
  if (c.varied && k % 13 === 2) {
    // A contextualization failure: one node failed, the others released, the session failed.
    const [bad, ...rest] = served;
    out.push(
      one(nodeStream(bad), {
        type: 'NodeFailed',
        data: {
          nodeId: bad,
          reason: 'ssh: timeout',
          previous: 'contextualizing',
          at: clock.next(),
        },
      }),
    );
    for (const nodeId of rest) {
      out.push(
        one(nodeStream(nodeId), {
          type: 'NodeReleased',
          data: { nodeId, sessionId, reason: 'sibling failed', at: clock.next() },
        }),
      );
    }
    out.push(failSession(sessionId, clock.next(), 'contextualization_failed'));
    out.push(returned(c, count));
    return out;
  }
  for (const nodeId of served) {
    out.push(
      one(nodeStream(nodeId), {
        type: 'NodeContextualized',
        data: { nodeId, sessionId, at: clock.next() },
      }),
    );
  }
  out.push(
    one(sessionStream(sessionId), {
      type: 'SessionActivated',
      data: { sessionId, at: clock.next() },
    }),
  );
  if (k % 6 === 0) {
    const at = clock.next();
    out.push(
      one(sessionStream(sessionId), {
        type: 'SessionExtended',
        data: {
          sessionId,
          expiresAt: new Date(Date.parse(at) + 12 * 3_600_000).toISOString(),
          previousExpiresAt: null,
          by: tenant,
          at,
        },
      }),
    );
  }
  if (c.varied && k % 17 === 4) {
    // Redelivered allocation: the first snapshot of each node stays.
    out.push(
      one(sessionStream(sessionId), {
        type: 'NodesAllocated',
        data: { sessionId, nodes: allocated, at: clock.next() },
      }),
    );
  }
  const by = k % 10 === 0 ? 'expiry' : k % 10 === 1 ? 'admin' : 'tenant';
  out.push(
    one(sessionStream(sessionId), {
      type: 'SessionRetired',
      data: { sessionId, by, actor: by === 'tenant' ? tenant : by, reason: by, at: clock.next() },
    }),
  );
  out.push(returned(c, count));
  out.push(...deprovision(c, served, reusable, oldRuns));
  if (c.varied) out.push(...tenantChanges(c));
  return out;
}

function fill(c: Cycle, reusable: boolean, oldRuns: boolean): Append[] {
  const { k, pool, nodeIds, clock } = c;
  const runId = c.varied && k % 23 === 7 ? `not-a-uuid-${k}` : randomUUID();
  const fillRunId = randomUUID();
  const record = {
    runId,
    pool,
    kind: 'provision' as const,
    fillRunId,
    sessionId: null,
    nodeIds,
    mechanism: 'ansible',
    playbook: k % 8 === 0 ? null : 'provision.yml',
    provisioner: `provisioner-${k % 2}`,
  };
  const runAt = (s: string) => (oldRuns ? poolStream(pool) : runStream(s));
  const out: Append[] = [
    one(poolStream(pool), {
      type: 'PoolFillPlanned',
      data: {
        pool,
        runId: fillRunId,
        count: nodeIds.length,
        provisioner: record.provisioner,
        at: clock.next(),
      },
    }),
  ];
  const startedAt = clock.next();
  if (!(c.varied && k % 19 === 9)) {
    // (a finish without its start also makes the row)
    out.push(one(runAt(runId), { type: 'ProvisioningRunStarted', data: { ...record, startedAt } }));
  }
  for (const nodeId of nodeIds) {
    if (c.varied && k % 29 === 1 && nodeId === nodeIds[0]) {
      out.push(registered(nodeId, pool, clock.next(), k));
      continue;
    }
    out.push(
      one(nodeStream(nodeId), {
        type: 'NodeProvisioningStarted',
        data: { nodeId, pool, reusable, at: clock.next() },
      }),
    );
  }
  const failed = c.varied && k % 7 === 3 ? [nodeIds[0]] : [];
  for (const nodeId of nodeIds) {
    if (failed.includes(nodeId)) {
      out.push(
        one(nodeStream(nodeId), {
          type: 'NodeProvisioningFailed',
          data: { nodeId, reason: 'playbook failed: "exit 2"', at: clock.next() },
        }),
      );
      if (k % 2 === 0) {
        // A failed placeholder retired while still in its pool: it leaves the pool's levels.
        out.push(
          one(nodeStream(nodeId), {
            type: 'NodeRetired',
            data: { nodeId, reason: 'provisioning failed', at: clock.next() },
          }),
        );
      }
      continue;
    }
    const ipaddr = `127.${(nodeId >> 16) & 255}.${(nodeId >> 8) & 255}.${nodeId & 255}`;
    out.push(
      one(nodeStream(nodeId), {
        type: 'NodeProvisioningSucceeded',
        data: {
          nodeId,
          hostname: `n${nodeId}.${pool}.test`,
          ipaddr,
          provision: { ipaddr, hostname: `n${nodeId}.${pool}.test`, id: `vm-${nodeId}` },
          at: clock.next(),
        },
      }),
    );
  }
  const at = clock.next();
  out.push(
    one(runAt(runId), {
      type: 'ProvisioningRunFinished',
      data: {
        ...record,
        status: failed.length > 0 ? 'failed' : 'succeeded',
        reason: failed.length > 0 ? 'exit 2' : null,
        startedAt,
        durationMs: Date.parse(at) - Date.parse(startedAt) + 0.5,
        exitCode: failed.length > 0 ? 2 : k % 8 === 0 ? null : 0,
        timedOut: false,
        outputTail: `PLAY RECAP ok=${3 + (k % 5)} failed=${failed.length}`,
        succeededNodeIds: nodeIds.filter((id) => !failed.includes(id)),
        failedNodeIds: failed,
        at,
      },
    }),
    one(poolStream(pool), {
      type: 'PoolFillFinished',
      data: {
        pool,
        runId: fillRunId,
        succeeded: nodeIds.length - failed.length,
        failed: failed.length,
        at,
      },
    }),
  );
  return out;
}

/** A static node with data of every JSON shape: key order, numbers, escapes, non-ASCII. */
function registered(nodeId: number, pool: string, at: string, k: number): Append {
  return one(nodeStream(nodeId), {
    type: 'NodeRegistered',
    data: {
      nodeId,
      hostname: `static${nodeId}.test`,
      ipaddr: `127.9.${(nodeId >> 8) & 255}.${nodeId & 255}`,
      comment: k % 2 === 0 ? null : 'rack 4, "left"',
      pool,
      reusable: true,
      data: { zeta: 1, alpha: [1, 2.5, 1e21, 1e-7], nested: { b: true, a: null }, ключ: 'é\n\t"' },
      at,
    },
  });
}

function deprovision(c: Cycle, served: number[], reusable: boolean, oldRuns: boolean): Append[] {
  const { k, pool, sessionId, clock } = c;
  const runId = randomUUID();
  const record = {
    runId,
    pool,
    kind: 'deprovision' as const,
    fillRunId: null,
    sessionId,
    nodeIds: served,
    mechanism: 'ansible',
    playbook: 'deprovision.yml',
    provisioner: `provisioner-${k % 2}`,
  };
  const stream = oldRuns ? poolStream(pool) : runStream(runId);
  const out: Append[] = [];
  for (const nodeId of served) {
    out.push(
      one(nodeStream(nodeId), {
        type: 'NodeDeprovisioningStarted',
        data: { nodeId, sessionId, reason: 'session retired', at: clock.next() },
      }),
    );
  }
  const startedAt = clock.next();
  out.push(one(stream, { type: 'ProvisioningRunStarted', data: { ...record, startedAt } }));
  for (const nodeId of served) {
    out.push(
      one(nodeStream(nodeId), { type: 'NodeDeprovisioned', data: { nodeId, at: clock.next() } }),
    );
  }
  const at = clock.next();
  out.push(
    one(stream, {
      type: 'ProvisioningRunFinished',
      data: {
        ...record,
        status: 'succeeded',
        reason: null,
        startedAt,
        durationMs: Date.parse(at) - Date.parse(startedAt),
        exitCode: 0,
        timedOut: k % 31 === 0,
        outputTail: 'ok',
        succeededNodeIds: served,
        failedNodeIds: [],
        at,
      },
    }),
  );
  for (const nodeId of served) {
    if (reusable) {
      // Reused: provisioned again in place (the upsert's update branch), then ready.
      out.push(
        one(
          nodeStream(nodeId),
          { type: 'NodeProvisioningStarted', data: { nodeId, pool, reusable, at: clock.next() } },
          {
            type: 'NodeProvisioningSucceeded',
            data: {
              nodeId,
              hostname: `n${nodeId}.${pool}.test`,
              ipaddr: `127.1.${(nodeId >> 8) & 255}.${nodeId & 255}`,
              provision: { again: k },
              at: clock.next(),
            },
          },
        ),
      );
      if (c.varied && k % 3 === 1) out.push(administered(c, nodeId));
    } else {
      out.push(
        one(nodeStream(nodeId), {
          type: 'NodeRetired',
          data: { nodeId, reason: 'deprovisioned', at: clock.next() },
        }),
      );
    }
  }
  return out;
}

/**
 * An admin's hand on a ready node: maintenance (it leaves the pool's ready level), comments,
 * and for some the release; the others stay held.
 */
function administered(c: Cycle, nodeId: number): Append {
  const { k, clock } = c;
  const events: AnyEvent[] = [
    { type: 'NodeMaintenanceStarted', data: { nodeId, reason: 'disk check', at: clock.next() } },
    { type: 'NodeCommented', data: { nodeId, comment: `checked "${k}"\nok`, at: clock.next() } },
  ];
  // Reusable cycles that get here have k % 12 === 1: every other one is released.
  if (k % 24 === 1) {
    events.push({
      type: 'NodeMaintenanceEnded',
      data: { nodeId, reason: 'back in service', at: clock.next() },
    });
  }
  return one(nodeStream(nodeId), ...events);
}

function failSession(sessionId: number, at: string, reason: string): Append {
  return one(sessionStream(sessionId), {
    type: 'SessionFailed',
    data: { sessionId, reason, detail: `failed: ${reason}`, at },
  });
}

function returned(c: Cycle, count: number): Append {
  return one(tenantStream(c.tenant), {
    type: 'TenantNodesReturned',
    data: { name: c.tenant, sessionId: c.sessionId, count, at: c.clock.next() },
  });
}

/** Now and then a tenant is updated, gets a new key, is retired and reactivated. */
function tenantChanges(c: Cycle): Append[] {
  const { k, tenant, clock } = c;
  const name = tenant;
  switch (k % 16) {
    case 2:
      return [
        one(tenantStream(name), {
          type: 'TenantUpdated',
          data: {
            name,
            nodeQuota: k % 32 === 2 ? null : 40,
            sessionLifetimeMs: 7_200_500,
            at: clock.next(),
          },
        }),
      ];
    case 6:
      return [
        one(tenantStream(name), {
          type: 'TenantUpdated',
          data: {
            name,
            sshKey: `ssh-ed25519 NEW${k}`,
            sessionLifetimeMaxMs: null,
            at: clock.next(),
          },
        }),
        one(tenantStream(name), {
          type: 'TenantApiKeyRotated',
          data: { name, apiKeyHash: `$2b$12$rotated${k}`, at: clock.next() },
        }),
      ];
    case 10:
      return [
        one(tenantStream(name), { type: 'TenantRetired', data: { name, at: clock.next() } }),
        one(tenantStream(name), { type: 'TenantRetired', data: { name, at: clock.next() } }),
        one(tenantStream(name), { type: 'TenantReactivated', data: { name, at: clock.next() } }),
      ];
    case 14:
      return [one(tenantStream(name), { type: 'TenantUpdated', data: { name, at: clock.next() } })];
    default:
      return [];
  }
}
