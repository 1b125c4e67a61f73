import { nodeStream, sessionStream, STREAM_PREFIX, streamId } from '@app/domain';
import type { RecordedEvent, StreamWrite } from '@app/event-store';

/**
 * The checker's own test: writes that, appended to a copy of a run's log, put one node into two
 * overlapping sessions — two new sessions, each SessionRequested + NodesAllocated naming the
 * same node, and the node's NodeReserved for each. Only the one breach: no quota is allotted
 * and the sessions are no answer's. The node is the log's last one (a new one when there is
 * none), the sessions take the next free ids, and every stream is appended at 'any'.
 */
export function forgeDoubledAllocation(events: RecordedEvent[]): StreamWrite[] {
  const ids = (prefix: string) =>
    events.map((e) => streamId(e.stream, prefix)).filter((id): id is number => id !== undefined);
  const nodeIds = ids(STREAM_PREFIX.node);
  const firstSession = Math.max(0, ...ids(STREAM_PREFIX.session)) + 1;
  const lastMs = Math.max(Date.now(), ...events.map((e) => e.timestamp.getTime()));
  const at = new Date(lastMs).toISOString();
  const existing = nodeIds.length > 0;
  const nodeId = existing ? Math.max(...nodeIds) : 1;
  const pool = poolOf(events, nodeId) ?? 'forged';
  const tenant = 'forged-tenant';
  const metadata = { actor: 'chaos-checker-self-test' };

  const session = (sessionId: number): StreamWrite => ({
    stream: sessionStream(sessionId),
    expected: 'no_stream',
    events: [
      {
        type: 'SessionRequested',
        data: {
          sessionId,
          tenant,
          specs: [{ pool, quantity: 1 }],
          idempotencyKey: null,
          requestedBy: tenant,
          createdAt: at,
          expiresAt: new Date(lastMs + 3600e3).toISOString(),
        },
        metadata,
      },
      { type: 'NodesAllocated', data: { sessionId, nodes: [{ nodeId, pool }], at }, metadata },
    ],
  });
  const reserved = (sessionId: number) => ({
    type: 'NodeReserved',
    data: { nodeId, sessionId, tenant, pool, at },
    metadata,
  });
  const registered = {
    type: 'NodeRegistered',
    data: {
      nodeId,
      hostname: 'forged.loopback.localhost',
      ipaddr: '127.0.0.254',
      comment: null,
      pool,
      reusable: false,
      data: {},
      at,
    },
    metadata,
  };
  return [
    session(firstSession),
    session(firstSession + 1),
    {
      stream: nodeStream(nodeId),
      expected: 'any',
      events: [
        ...(existing ? [] : [registered]),
        reserved(firstSession),
        reserved(firstSession + 1),
      ],
    },
  ];
}

/** The pool the node was last provisioned into, reserved in or registered with. */
function poolOf(events: RecordedEvent[], nodeId: number): string | undefined {
  let pool: string | undefined;
  for (const e of events) {
    if (streamId(e.stream, STREAM_PREFIX.node) !== nodeId) continue;
    const p = (e.data as { pool?: unknown }).pool;
    if (typeof p === 'string' && p !== '') pool = p;
  }
  return pool;
}
