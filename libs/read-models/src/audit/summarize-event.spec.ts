import { auditEvent } from './testing/audit-events';
import { summarizeEvent } from './summarize-event';

const at = '2026-03-10T14:30:00.000Z';
const run = {
  runId: 'r-1',
  pool: 'small',
  kind: 'provision',
  fillRunId: 'f-1',
  sessionId: null,
  nodeIds: [3, 4],
  mechanism: 'ansible',
  playbook: 'provision.yml',
  provisioner: 'p-1',
  startedAt: at,
};

describe('summarizeEvent', () => {
  it.each([
    [
      'SessionRequested',
      {
        sessionId: 12,
        tenant: 'alice',
        specs: [
          { pool: 'small', quantity: 2 },
          { pool: 'gpu', quantity: 1 },
        ],
        idempotencyKey: null,
        requestedBy: 'admin',
        createdAt: at,
        expiresAt: '2026-03-10T15:30:00.000Z',
      },
      'requested 2 nodes from small, 1 node from gpu for alice by admin, expires 15:30',
    ],
    [
      'NodesAllocated',
      { sessionId: 12, nodes: [{ nodeId: 3, pool: 'small' }], at },
      'allocated 1 node: 3 (small)',
    ],
    ['SessionActivated', { sessionId: 12, at }, 'session active'],
    [
      'SessionExtended',
      {
        sessionId: 12,
        expiresAt: '2026-03-10T15:00:00.000Z',
        previousExpiresAt: '2026-03-10T14:00:00.000Z',
        requestedExpiresAt: '2026-03-10T16:00:00.000Z',
        by: 'alice',
        at,
      },
      'extended expiry 14:00 → 15:00 (asked for 16:00, clamped)',
    ],
    [
      'SessionExtended',
      {
        sessionId: 12,
        expiresAt: '2026-03-11T15:00:30.000Z',
        previousExpiresAt: null,
        by: 'alice',
        at,
      },
      'extended expiry never → 2026-03-11 15:00:30',
    ],
    [
      'SessionRetired',
      { sessionId: 12, by: 'expiry', actor: 'expiry', reason: 'expired', at },
      'retired by expiry: expired',
    ],
    [
      'SessionRetired',
      { sessionId: 12, by: 'admin', actor: 'root', reason: '', at },
      'retired by admin root',
    ],
    [
      'SessionRetired',
      { sessionId: 12, by: 'tenant', actor: 'alice', reason: 'retired by tenant', at },
      'retired by tenant alice',
    ],
    [
      'SessionFailed',
      { sessionId: 12, reason: 'contextualization failed', detail: 'node 3', at },
      'session failed: contextualization failed (node 3)',
    ],
    [
      'NodeRegistered',
      {
        nodeId: 3,
        hostname: 'n3.example',
        ipaddr: '127.0.0.3',
        comment: null,
        pool: 'small',
        reusable: true,
        data: {},
        at,
      },
      'node 3 registered as n3.example (127.0.0.3) in pool small, reusable',
    ],
    [
      'NodeProvisioningStarted',
      { nodeId: 3, pool: 'small', reusable: false, at },
      'node 3 provisioning in pool small',
    ],
    [
      'NodeProvisioningSucceeded',
      { nodeId: 3, hostname: 'n3', ipaddr: '127.0.0.3', provision: {}, at },
      'node 3 provisioned as n3 (127.0.0.3)',
    ],
    [
      'NodeProvisioningFailed',
      { nodeId: 3, reason: 'exit 2', at },
      'node 3 provisioning failed: exit 2',
    ],
    [
      'NodeReserved',
      { nodeId: 3, sessionId: 12, tenant: 'alice', pool: 'small', at },
      'node 3 reserved for session 12 (tenant alice)',
    ],
    [
      'NodeContextualized',
      { nodeId: 3, sessionId: 12, at },
      'node 3 contextualized for session 12',
    ],
    [
      'NodeReleased',
      { nodeId: 3, sessionId: 12, reason: 'sibling failed', at },
      'node 3 released from session 12: sibling failed',
    ],
    [
      'NodeDeprovisioningStarted',
      { nodeId: 3, sessionId: 12, reason: 'session retired', at },
      'node 3 deprovisioning after session 12: session retired',
    ],
    ['NodeDeprovisioned', { nodeId: 3, at }, 'node 3 deprovisioned'],
    [
      'NodeFailed',
      { nodeId: 3, reason: 'unreachable', previous: 'deployed', at },
      'node 3 failed while deployed: unreachable',
    ],
    ['NodeRetired', { nodeId: 3, reason: 'done', at }, 'node 3 retired: done'],
    [
      'TenantCreated',
      {
        tenantId: 2,
        name: 'alice',
        isAdmin: false,
        isAuditor: true,
        sshKey: 'ssh-ed25519 AAAA',
        apiKeyHash: '$2b$',
        nodeQuota: 3,
        sessionLifetimeMs: 3_600_000,
        sessionLifetimeMaxMs: null,
        at,
      },
      'tenant alice created (auditor, node quota 3, session lifetime 1 h)',
    ],
    [
      'TenantUpdated',
      {
        name: 'alice',
        nodeQuota: null,
        sessionLifetimeMaxMs: 5_400_000,
        sshKey: 'ssh-ed25519 BBBB',
        isAuditor: false,
        at,
      },
      'tenant alice updated: node quota default, maximum lifetime 90 min, ssh key changed, not auditor',
    ],
    [
      'TenantApiKeyRotated',
      { name: 'alice', apiKeyHash: '$2b$', at },
      'tenant alice: API key rotated',
    ],
    [
      'NodeMaintenanceStarted',
      { nodeId: 3, reason: 'disk check', at },
      'node 3 maintenance started: disk check',
    ],
    [
      'NodeMaintenanceEnded',
      { nodeId: 3, reason: 'back in service', at },
      'node 3 maintenance ended: back in service',
    ],
    [
      'NodeCommented',
      { nodeId: 3, comment: 'fan replaced\n  by Bob', at },
      'node 3 comment: fan replaced by Bob',
    ],
    [
      'NodeCommented',
      { nodeId: 3, comment: 'x'.repeat(300), at },
      `node 3 comment: ${'x'.repeat(119)}…`,
    ],
    ['TenantRetired', { name: 'alice', at }, 'tenant alice retired'],
    ['TenantReactivated', { name: 'alice', at }, 'tenant alice reactivated'],
    [
      'TenantNodesAllotted',
      { name: 'alice', sessionId: 12, count: 2, at },
      "2 nodes of alice's quota allotted to session 12",
    ],
    [
      'TenantNodesReturned',
      { name: 'alice', sessionId: 12, count: 1, at },
      "1 node of alice's quota returned by session 12",
    ],
    [
      'PoolFillPlanned',
      { pool: 'small', runId: 'f-1', count: 2, provisioner: 'p-1', at },
      'pool small: fill of 2 nodes planned by p-1 (run f-1)',
    ],
    [
      'PoolFillFinished',
      { pool: 'small', runId: 'f-1', succeeded: 1, failed: 1, at },
      'pool small: fill finished, 1 succeeded, 1 failed (run f-1)',
    ],
    ['ProvisioningRunStarted', run, 'provision run started: playbook provision.yml on nodes 3, 4'],
    [
      'ProvisioningRunFinished',
      {
        ...run,
        status: 'succeeded',
        reason: null,
        durationMs: 41_200,
        exitCode: 0,
        timedOut: false,
        outputTail: 'ok',
        succeededNodeIds: [3, 4],
        failedNodeIds: [],
        at,
      },
      'playbook provision.yml exit 0 in 41 s (provision succeeded, nodes 3, 4)',
    ],
    [
      'ProvisioningRunFinished',
      {
        ...run,
        kind: 'deprovision',
        sessionId: 12,
        nodeIds: [3],
        status: 'failed',
        reason: 'timed out',
        durationMs: 600_000,
        exitCode: null,
        timedOut: true,
        outputTail: '',
        succeededNodeIds: [],
        failedNodeIds: [3],
        at,
      },
      'playbook provision.yml timed out after 600 s (deprovision failed: timed out, node 3, session 12)',
    ],
    [
      'ProvisioningRunFinished',
      {
        ...run,
        mechanism: 'static',
        playbook: null,
        nodeIds: [3],
        status: 'succeeded',
        reason: null,
        durationMs: 1_500,
        exitCode: null,
        timedOut: false,
        outputTail: '',
        succeededNodeIds: [3],
        failedNodeIds: [],
        at,
      },
      'static succeeded in 1.5 s (provision succeeded, node 3)',
    ],
    [
      'SessionIdempotencyKeyClaimed',
      { tenant: 'alice', key: 'k-1', sessionId: 12 },
      'idempotency key of alice claimed by session 12',
    ],
    ['IdAllocated', { kind: 'session' }, 'session id 1 allocated'],
    ['SomethingNew', { x: 1 }, 'SomethingNew'],
  ])('%s (case %#)', (type, data, summary) => {
    expect(summarizeEvent(auditEvent(type, data))).toBe(summary);
  });

  it('never prints an ssh key or an API key hash', () => {
    for (const [type, data] of [
      ['TenantCreated', { name: 'a', sshKey: 'ssh-rsa SECRET', apiKeyHash: 'HASHSECRET' }],
      ['TenantUpdated', { name: 'a', sshKey: 'ssh-rsa SECRET' }],
      ['TenantApiKeyRotated', { name: 'a', apiKeyHash: 'HASHSECRET' }],
    ] as const) {
      expect(summarizeEvent(auditEvent(type, data))).not.toMatch(/SECRET/);
    }
  });

  it('an extension asked within the maximum is not clamped; a time on another day shows its date', () => {
    const extended = auditEvent(
      'SessionExtended',
      {
        sessionId: 1,
        expiresAt: '2026-03-11T09:05:00.000Z',
        previousExpiresAt: '2026-03-10T23:00:00.000Z',
        requestedExpiresAt: '2026-03-11T09:05:00.000Z',
        by: 'a',
        at,
      },
      '2026-03-10T22:00:00Z',
    );
    expect(summarizeEvent(extended)).toBe('extended expiry 23:00 → 2026-03-11 09:05');
  });
});
