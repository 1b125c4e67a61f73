import type { NodeBody, TenantBody } from '@app/contracts';
import { MASKED } from '../../queries/views';
import { HandLog } from '../testing/audit-events';
import { nodeAsOf } from './node-as-of';
import { poolAsOf } from './pool-as-of';
import { sessionAsOf } from './session-as-of';
import { sessionOfLastReservation } from './session-requests';
import { tenantAsOf } from './tenant-as-of';

const t = (minute: number) => `2026-03-10T14:${String(minute).padStart(2, '0')}:00.000Z`;
const defaults = { nodeQuota: 5, sessionLifetimeMs: 6 * 3600e3, sessionLifetimeMaxMs: 12 * 3600e3 };

/** alice's session 1 holds node 3 (reusable); bob's session 2 gets it after cleanup. */
function farm() {
  const log = new HandLog();
  log.add('tenant-alice', 'TenantCreated', {
    tenantId: 2,
    name: 'alice',
    isAdmin: false,
    sshKey: 'ssh-ed25519 A',
    apiKeyHash: 'h',
    nodeQuota: null,
    sessionLifetimeMs: 3600e3,
    sessionLifetimeMaxMs: null,
    at: t(0),
  });
  log.add('node-3', 'NodeProvisioningStarted', {
    nodeId: 3,
    pool: 'small',
    reusable: true,
    at: t(1),
  });
  log.add('node-3', 'NodeProvisioningSucceeded', {
    nodeId: 3,
    hostname: 'n3',
    ipaddr: '127.0.0.3',
    provision: { ipaddr: '127.0.0.3' },
    at: t(2),
  });
  log.add('session-1', 'SessionRequested', {
    sessionId: 1,
    tenant: 'alice',
    specs: [{ pool: 'small', quantity: 1 }],
    idempotencyKey: null,
    requestedBy: 'alice',
    createdAt: t(3),
    expiresAt: t(50),
  });
  log.add('node-3', 'NodeReserved', {
    nodeId: 3,
    sessionId: 1,
    tenant: 'alice',
    pool: 'small',
    at: t(4),
  });
  const allocated = log.add('session-1', 'NodesAllocated', {
    sessionId: 1,
    nodes: [{ nodeId: 3, pool: 'small' }],
    at: t(5),
  });
  log.add('node-3', 'NodeContextualized', { nodeId: 3, sessionId: 1, at: t(6) });
  log.add('session-1', 'SessionActivated', { sessionId: 1, at: t(7) });
  const active = log.events.length;
  log.add('session-1', 'SessionRetired', {
    sessionId: 1,
    by: 'tenant',
    actor: 'alice',
    reason: 'done',
    at: t(8),
  });
  log.add('node-3', 'NodeDeprovisioningStarted', {
    nodeId: 3,
    sessionId: 1,
    reason: 'retired',
    at: t(9),
  });
  log.add('node-3', 'NodeDeprovisioned', { nodeId: 3, at: t(10) });
  log.add('tenant-alice', 'TenantRetired', { name: 'alice', at: t(11) });
  return { log, allocated, active };
}

describe('as-of folds', () => {
  it('tenantAsOf: the limits with their effective values, the ssh key masked, retired at the first retirement', () => {
    const { log } = farm();
    const expected: TenantBody = {
      id: 2,
      name: 'alice',
      is_admin: false,
      is_auditor: false,
      ssh_key: MASKED,
      node_quota: null,
      session_lifetime: 3600,
      session_lifetime_max: null,
      effective_node_quota: 5,
      effective_session_lifetime: 3600,
      effective_session_lifetime_max: 43200,
      created_at: '2026-03-10T14:00:00Z',
      retired_at: '2026-03-10T14:11:00Z',
      active: false,
    };
    expect(tenantAsOf(log.of('tenant-alice'), defaults)).toEqual(expected);
    expect(tenantAsOf(log.of('tenant-alice').slice(0, 1), defaults)).toMatchObject({
      active: true,
      retired_at: null,
    });
    expect(tenantAsOf([], defaults)).toBeUndefined();
  });

  it('nodeAsOf: state and data keys at each instant, nodes_spec from the session request', () => {
    const { log } = farm();
    const node = log.of('node-3');
    const requests = log.of('session-1');
    expect(sessionOfLastReservation(node)).toEqual([1]);
    expect(sessionOfLastReservation(node.slice(0, 2))).toEqual([]);
    const reserved = nodeAsOf(node.slice(0, 3), requests);
    expect(reserved).toEqual<NodeBody>({
      id: 3,
      hostname: 'n3',
      ipaddr: '127.0.0.3',
      comment: null,
      pool: 'small',
      reusable: true,
      data: { provision: { ipaddr: '127.0.0.3' }, nodes_spec: { quantity: 1, pool: 'small' } },
      state: 'contextualizing',
      created_at: '2026-03-10T14:01:00Z',
      retired_at: null,
      active: true,
      maintenance: null,
    });
    // Without the request the quantity is unknown: 0, as the projection has it for no session row.
    expect(nodeAsOf(node.slice(0, 3))?.data.nodes_spec).toEqual({ quantity: 0, pool: 'small' });
    // Deprovisioned and reusable: back to unused, out of the pool, the session's keys dropped.
    expect(nodeAsOf(node, requests)).toMatchObject({ state: 'unused', pool: null, data: {} });
    expect(nodeAsOf([])).toBeUndefined();
  });

  it('nodeAsOf: a registered node keeps its comment; a failure is recorded under data.error; retirement ends it', () => {
    const log = new HandLog();
    log.add('node-9', 'NodeRegistered', {
      nodeId: 9,
      hostname: 'h9',
      ipaddr: '127.0.0.9',
      comment: 'rack 2',
      pool: 'small',
      reusable: false,
      data: { rack: 2 },
      at: t(0),
    });
    log.add('node-9', 'NodeFailed', {
      nodeId: 9,
      reason: 'unreachable',
      previous: 'unused',
      at: t(1),
    });
    log.add('node-9', 'NodeRetired', { nodeId: 9, reason: 'gone', at: t(2) });
    expect(nodeAsOf(log.events)).toEqual<NodeBody>({
      id: 9,
      hostname: 'h9',
      ipaddr: '127.0.0.9',
      comment: 'rack 2',
      pool: 'small',
      reusable: false,
      data: { rack: 2, error: { failed_at: t(1), detail: 'unreachable' } },
      state: 'failed',
      created_at: '2026-03-10T14:00:00Z',
      retired_at: '2026-03-10T14:02:00Z',
      active: false,
      maintenance: null,
    });
  });

  it('sessionAsOf: active, its node as it is; retired, as it was when allocated', () => {
    const { log, allocated, active } = farm();
    const tenant = tenantAsOf(log.of('tenant-alice'), defaults)!;
    const upTo = (n: number) => log.events.slice(0, n);
    const session = (events: typeof log.events) =>
      sessionAsOf(
        events.filter((e) => e.stream === 'session-1'),
        tenant,
        new Map([[3, events.filter((e) => e.stream === 'node-3')]]),
      );
    const whileActive = session(upTo(active));
    expect(whileActive).toEqual({
      id: 1,
      tenant,
      expires_at: '2026-03-10T14:50:00Z',
      data: { nodes_specs: [{ quantity: 1, pool: 'small' }] },
      nodes: [
        {
          id: 3,
          hostname: 'n3',
          ipaddr: '127.0.0.3',
          comment: null,
          pool: 'small',
          reusable: true,
          data: { provision: { ipaddr: '127.0.0.3' }, nodes_spec: { quantity: 1, pool: 'small' } },
          state: 'deployed',
        },
      ],
      created_at: '2026-03-10T14:03:00Z',
      retired_at: null,
      active: true,
      state: 'active',
    });
    const after = session(log.events);
    expect(after).toMatchObject({
      active: false,
      retired_at: '2026-03-10T14:08:00Z',
      state: 'retired',
    });
    // The snapshot: the node as the log left it before NodesAllocated, state null.
    expect(after?.nodes).toEqual([{ ...whileActive!.nodes[0], state: null }]);
    expect(session(upTo(allocated.position - 1))?.nodes).toEqual([]);
    expect(session([])).toBeUndefined();
  });

  it('poolAsOf: active nodes of the pool counted by state; ready ones in maintenance are not', () => {
    const node = (
      id: number,
      state: string,
      pool: string | null,
      active = true,
      maintenance: string | null = null,
    ) => ({ id, state, pool, active, maintenance }) as NodeBody;
    expect(
      poolAsOf('small', 4, [
        node(1, 'ready', 'small'),
        node(2, 'ready', 'small'),
        node(3, 'deployed', 'small'),
        node(4, 'ready', 'small', false),
        node(5, 'ready', 'large'),
        node(6, 'failed', 'small'),
        node(7, 'ready', 'small', true, 'disk check'),
        node(8, 'deployed', 'small', true, 'after this session'),
      ]),
    ).toEqual({
      name: 'small',
      'fill-level': 4,
      levels: { provisioning: 0, ready: 2, contextualizing: 0, deployed: 2, deprovisioning: 0 },
    });
  });
});
