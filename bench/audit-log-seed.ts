import { randomUUID } from 'node:crypto';
import { hash } from 'bcryptjs';
import { Pool } from 'pg';
import { nodeStream, runStream, sessionStream, tenantStream } from '@app/domain';
import type { NewEvent } from '@app/event-store';
import { PostgresEventStore } from '../libs/event-store/src';
import { writeReplayLog } from '../libs/read-models/src/testing/replay-log';

// The log audit.bench.ts reads: a farm-shaped log (replay-log.ts) with, written directly as the
// command handlers would, an admin, a tenant whose session has 50 events (with its two nodes,
// their runs and its quota) and a reusable node that served sessions until it had 10,000
// events. The session starts before the farm's log and ends after it, so its timeline spans
// the whole log (the worst case for a session's timeline, as for any long-lived session).

export const SESSION_EVENTS = 50;
export const NODE_EVENTS = 10_000;
const TENANT = 'auditee';
/** NodeReserved .. NodeProvisioningSucceeded: one session served by the big node. */
const NODE_CYCLE = 6;

export interface AuditLog {
  events: number;
  admin: Credentials;
  owner: Credentials;
  sessionId: number;
  /** The node of NODE_EVENTS events. */
  nodeId: number;
}

export interface Credentials {
  name: string;
  key: string;
}

/** Writes the log fast (a throw-away database need not wait for the disk at each commit). */
export async function writeAuditLog(url: string, farmEvents: number): Promise<AuditLog> {
  const pool = new Pool({ connectionString: url, max: 8, options: '-c synchronous_commit=off' });
  pool.on('error', () => undefined);
  const store = await PostgresEventStore.connect({ pool });
  try {
    const clock = new Clock();
    const admin = await tenant(store, 'admin', true, clock);
    const owner = await tenant(store, TENANT, false, clock);
    const session = await sessionHead(store, clock);
    const farm = await writeReplayLog(store, { events: farmEvents, concurrency: 6, tenants: 50 });
    const tail = await sessionTail(store, session, clock);
    const node = await busyNode(store, clock);
    return {
      events: 2 + session.written + farm + tail + node.written,
      admin,
      owner,
      sessionId: session.sessionId,
      nodeId: node.nodeId,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}

/** Instants a second apart from now on: the events' own `at`, not what as_of reads. */
class Clock {
  private ms = Date.now();
  next(): string {
    this.ms += 1_000;
    return new Date(this.ms).toISOString();
  }
}

async function tenant(
  store: PostgresEventStore,
  name: string,
  isAdmin: boolean,
  clock: Clock,
): Promise<Credentials> {
  const key = randomUUID();
  await store.append(
    tenantStream(name),
    [
      event('admin', undefined, {
        type: 'TenantCreated',
        data: {
          tenantId: await store.nextId('tenant'),
          name,
          isAdmin,
          sshKey: `ssh-ed25519 ${name.toUpperCase()}`,
          apiKeyHash: await hash(key, 12),
          nodeQuota: null,
          sessionLifetimeMs: null,
          sessionLifetimeMaxMs: 86_400_000,
          at: clock.next(),
        },
      }),
    ],
    'no_stream',
  );
  return { name, key };
}

interface SessionHead {
  sessionId: number;
  nodeIds: number[];
  expiresAt: string;
  written: number;
}

/** Request, provisioning of its two nodes (one run), allocation, activation, 20 extensions. */
async function sessionHead(store: PostgresEventStore, clock: Clock): Promise<SessionHead> {
  const sessionId = await store.nextId('session');
  const nodeIds = [await store.nextId('node'), await store.nextId('node')];
  const correlation = sessionStream(sessionId);
  const by = (actor: string) => (e: NewEvent) => event(actor, correlation, e);
  let written = 0;
  const append = async (stream: string, events: NewEvent[]) => {
    await store.append(stream, events, 'any');
    written += events.length;
  };
  const runId = randomUUID();
  const run = runRecord(runId, 'provision', null, nodeIds);
  const startedAt = clock.next();
  await append(runStream(runId), [
    by('provisioner')({ type: 'ProvisioningRunStarted', data: { ...run, startedAt } }),
  ]);
  for (const nodeId of nodeIds) {
    await append(nodeStream(nodeId), [
      by('provisioner')({
        type: 'NodeProvisioningStarted',
        data: { nodeId, pool: 'small', reusable: false, at: clock.next() },
      }),
      by('provisioner')({
        type: 'NodeProvisioningSucceeded',
        data: {
          nodeId,
          hostname: `a${nodeId}.small.test`,
          ipaddr: `127.8.${(nodeId >> 8) & 255}.${nodeId & 255}`,
          provision: { id: `vm-${nodeId}` },
          at: clock.next(),
        },
      }),
    ]);
  }
  await append(runStream(runId), [by('provisioner')(runFinished(run, startedAt, clock.next()))]);
  const createdAt = clock.next();
  const expiresAt = new Date(Date.parse(createdAt) + 6 * 3_600_000).toISOString();
  await append(sessionStream(sessionId), [
    by(TENANT)({
      type: 'SessionRequested',
      data: {
        sessionId,
        tenant: TENANT,
        specs: [{ pool: 'small', quantity: 2 }],
        idempotencyKey: null,
        requestedBy: TENANT,
        createdAt,
        expiresAt,
      },
    }),
  ]);
  await append(tenantStream(TENANT), [
    by(TENANT)({
      type: 'TenantNodesAllotted',
      data: { name: TENANT, sessionId, count: 2, at: clock.next() },
    }),
  ]);
  for (const nodeId of nodeIds) {
    await append(nodeStream(nodeId), [
      by(TENANT)({
        type: 'NodeReserved',
        data: { nodeId, sessionId, tenant: TENANT, pool: 'small', at: clock.next() },
      }),
    ]);
  }
  await append(sessionStream(sessionId), [
    by(TENANT)({
      type: 'NodesAllocated',
      data: {
        sessionId,
        nodes: nodeIds.map((nodeId) => ({ nodeId, pool: 'small' })),
        at: clock.next(),
      },
    }),
  ]);
  for (const nodeId of nodeIds) {
    await append(nodeStream(nodeId), [
      by('provisioner')({
        type: 'NodeContextualized',
        data: { nodeId, sessionId, at: clock.next() },
      }),
    ]);
  }
  await append(sessionStream(sessionId), [
    by('provisioner')({ type: 'SessionActivated', data: { sessionId, at: clock.next() } }),
  ]);
  const head = { sessionId, nodeIds, expiresAt, written };
  head.expiresAt = await extend(store, head, 20, clock);
  head.written = written + 20;
  return head;
}

/** The session's remaining extensions, its retirement, the cleanup of its nodes. */
async function sessionTail(
  store: PostgresEventStore,
  head: SessionHead,
  clock: Clock,
): Promise<number> {
  const { sessionId, nodeIds } = head;
  const correlation = sessionStream(sessionId);
  const by = (actor: string) => (e: NewEvent) => event(actor, correlation, e);
  // 3 events before the extensions, 1 after: the session's stream has SESSION_EVENTS.
  const extensions = SESSION_EVENTS - 4 - 20;
  await extend(store, head, extensions, clock);
  let written = extensions;
  const append = async (stream: string, events: NewEvent[]) => {
    await store.append(stream, events, 'any');
    written += events.length;
  };
  await append(sessionStream(sessionId), [
    by(TENANT)({
      type: 'SessionRetired',
      data: { sessionId, by: 'tenant', actor: TENANT, reason: 'tenant', at: clock.next() },
    }),
  ]);
  await append(tenantStream(TENANT), [
    by(TENANT)({
      type: 'TenantNodesReturned',
      data: { name: TENANT, sessionId, count: 2, at: clock.next() },
    }),
  ]);
  const runId = randomUUID();
  const run = runRecord(runId, 'deprovision', sessionId, nodeIds);
  for (const nodeId of nodeIds) {
    await append(nodeStream(nodeId), [
      by('provisioner')({
        type: 'NodeDeprovisioningStarted',
        data: { nodeId, sessionId, reason: 'session retired', at: clock.next() },
      }),
    ]);
  }
  const startedAt = clock.next();
  await append(runStream(runId), [
    by('provisioner')({ type: 'ProvisioningRunStarted', data: { ...run, startedAt } }),
  ]);
  for (const nodeId of nodeIds) {
    await append(nodeStream(nodeId), [
      by('provisioner')({ type: 'NodeDeprovisioned', data: { nodeId, at: clock.next() } }),
      by('provisioner')({
        type: 'NodeRetired',
        data: { nodeId, reason: 'deprovisioned', at: clock.next() },
      }),
    ]);
  }
  await append(runStream(runId), [by('provisioner')(runFinished(run, startedAt, clock.next()))]);
  return written;
}

/** `count` extensions by the owner, every third one clamped to its maximum lifetime. */
async function extend(
  store: PostgresEventStore,
  head: SessionHead,
  count: number,
  clock: Clock,
): Promise<string> {
  let expiresAt = head.expiresAt;
  for (let i = 0; i < count; i++) {
    const at = clock.next();
    const asked = new Date(Date.parse(at) + (i % 3 === 0 ? 48 : 6) * 3_600_000).toISOString();
    const granted = i % 3 === 0 ? new Date(Date.parse(at) + 24 * 3_600_000).toISOString() : asked;
    await store.append(
      sessionStream(head.sessionId),
      [
        event(TENANT, sessionStream(head.sessionId), {
          type: 'SessionExtended',
          data: {
            sessionId: head.sessionId,
            expiresAt: granted,
            previousExpiresAt: expiresAt,
            requestedExpiresAt: asked,
            by: TENANT,
            at,
          },
        }),
      ],
      'any',
    );
    expiresAt = granted;
  }
  return expiresAt;
}

/**
 * A reusable node of the `large` pool lent to session after session (reserved, contextualized,
 * cleaned up, provisioned again), each cycle one append as the provisioner makes it, until it
 * has NODE_EVENTS events. The sessions themselves are not written: only the node's stream is
 * read.
 */
async function busyNode(
  store: PostgresEventStore,
  clock: Clock,
): Promise<{ nodeId: number; written: number }> {
  const nodeId = await store.nextId('node');
  const stream = nodeStream(nodeId);
  const hostname = `busy${nodeId}.large.test`;
  const ipaddr = `127.7.${(nodeId >> 8) & 255}.${nodeId & 255}`;
  const provisioned = (k: number): NewEvent[] => [
    {
      type: 'NodeProvisioningStarted',
      data: { nodeId, pool: 'large', reusable: true, at: clock.next() },
    },
    {
      type: 'NodeProvisioningSucceeded',
      data: {
        nodeId,
        hostname,
        ipaddr,
        provision: { id: `vm-${nodeId}`, again: k },
        at: clock.next(),
      },
    },
  ];
  const first = provisioned(0).map((e) => event('provisioner', undefined, e));
  await store.append(stream, first, 'no_stream');
  let written = first.length;
  for (let k = 1; written < NODE_EVENTS; k++) {
    const sessionId = 1_000_000 + k;
    const tenant = `tenant${k % 50}`;
    const cycle: NewEvent[] = [
      {
        type: 'NodeReserved',
        data: { nodeId, sessionId, tenant, pool: 'large', at: clock.next() },
      },
      { type: 'NodeContextualized', data: { nodeId, sessionId, at: clock.next() } },
      {
        type: 'NodeDeprovisioningStarted',
        data: { nodeId, sessionId, reason: 'session retired', at: clock.next() },
      },
      { type: 'NodeDeprovisioned', data: { nodeId, at: clock.next() } },
      ...provisioned(k),
    ].slice(0, Math.min(NODE_CYCLE, NODE_EVENTS - written));
    const correlation = sessionStream(sessionId);
    await store.append(
      stream,
      cycle.map((e) => event('provisioner', correlation, e)),
      'any',
    );
    written += cycle.length;
  }
  return { nodeId, written };
}

function runRecord(
  runId: string,
  kind: 'provision' | 'deprovision',
  sessionId: number | null,
  nodeIds: number[],
) {
  return {
    runId,
    pool: 'small',
    kind,
    fillRunId: null,
    sessionId,
    nodeIds,
    mechanism: 'ansible',
    playbook: `${kind}.yml`,
    provisioner: 'provisioner-0',
  };
}

function runFinished(run: ReturnType<typeof runRecord>, startedAt: string, at: string): NewEvent {
  return {
    type: 'ProvisioningRunFinished',
    data: {
      ...run,
      status: 'succeeded',
      reason: null,
      startedAt,
      durationMs: Date.parse(at) - Date.parse(startedAt),
      exitCode: 0,
      timedOut: false,
      outputTail: 'PLAY RECAP ok=4 failed=0',
      succeededNodeIds: run.nodeIds,
      failedNodeIds: [],
      at,
    },
  };
}

function event(actor: string, correlationId: string | undefined, e: NewEvent): NewEvent {
  return {
    ...e,
    metadata: correlationId === undefined ? { actor } : { actor, correlationId },
  };
}
