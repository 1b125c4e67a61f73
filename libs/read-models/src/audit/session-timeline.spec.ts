import { sessionTimeline } from './session-timeline';
import { HandLog } from './testing/audit-events';

const at = '2026-03-10T14:00:00.000Z';
const runData = (
  runId: string,
  nodeIds: number[],
  sessionId: number | null,
  kind = 'provision',
) => ({
  runId,
  pool: 'small',
  kind,
  fillRunId: null,
  sessionId,
  nodeIds,
  mechanism: 'ansible',
  playbook: `${kind}.yml`,
  provisioner: 'p',
  startedAt: at,
});

describe('sessionTimeline', () => {
  it("merges the session's events with its slice of a reused node, its tenant's quota events and the runs that concern it", () => {
    const log = new HandLog();
    // Node 3 is provisioned, lent to alice's session 1, cleaned up, then lent to bob's session 2.
    log.add('run-a', 'ProvisioningRunStarted', runData('a', [3], null));
    log.add('node-3', 'NodeProvisioningStarted', { nodeId: 3, pool: 'small', reusable: true, at });
    log.add('node-3', 'NodeProvisioningSucceeded', {
      nodeId: 3,
      hostname: 'n3',
      ipaddr: '127.0.0.3',
      provision: {},
      at,
    });
    log.add('session-1', 'SessionRequested', {
      sessionId: 1,
      tenant: 'alice',
      specs: [{ pool: 'small', quantity: 1 }],
      idempotencyKey: null,
      requestedBy: 'alice',
      createdAt: at,
      expiresAt: at,
    });
    log.add('tenant-alice', 'TenantNodesAllotted', { name: 'alice', sessionId: 1, count: 1, at });
    log.add('node-3', 'NodeReserved', {
      nodeId: 3,
      sessionId: 1,
      tenant: 'alice',
      pool: 'small',
      at,
    });
    log.add('session-1', 'NodesAllocated', {
      sessionId: 1,
      nodes: [{ nodeId: 3, pool: 'small' }],
      at,
    });
    log.add('node-3', 'NodeContextualized', { nodeId: 3, sessionId: 1, at });
    log.add('session-1', 'SessionActivated', { sessionId: 1, at });
    log.add('tenant-alice', 'TenantNodesAllotted', { name: 'alice', sessionId: 5, count: 1, at });
    log.add('session-1', 'SessionRetired', {
      sessionId: 1,
      by: 'tenant',
      actor: 'alice',
      reason: 'done',
      at,
    });
    log.add('node-3', 'NodeDeprovisioningStarted', {
      nodeId: 3,
      sessionId: 1,
      reason: 'retired',
      at,
    });
    log.add('run-b', 'ProvisioningRunStarted', runData('b', [3], 1, 'deprovision'));
    log.add('tenant-alice', 'TenantNodesReturned', { name: 'alice', sessionId: 1, count: 1, at });
    log.add('node-3', 'NodeDeprovisioned', { nodeId: 3, at });
    log.add('node-3', 'NodeProvisioningStarted', { nodeId: 3, pool: 'small', reusable: true, at });
    log.add('run-c', 'ProvisioningRunStarted', runData('c', [3], null));
    log.add('node-3', 'NodeProvisioningSucceeded', {
      nodeId: 3,
      hostname: 'n3',
      ipaddr: '127.0.0.3',
      provision: {},
      at,
    });
    log.add('node-3', 'NodeReserved', {
      nodeId: 3,
      sessionId: 2,
      tenant: 'bob',
      pool: 'small',
      at,
    });
    log.add('node-3', 'NodeContextualized', { nodeId: 3, sessionId: 2, at });
    log.add('run-d', 'ProvisioningRunStarted', runData('d', [3], 2, 'deprovision'));

    const runs = log.events.filter((e) => e.stream.startsWith('run-'));
    const candidates = {
      session: log.of('session-1'),
      nodes: new Map([[3, log.of('node-3')]]),
      tenant: log.of('tenant-alice'),
      // A candidate given twice comes once.
      runs: [...runs, runs[1]],
    };
    const timeline = sessionTimeline(candidates, 1);
    expect(timeline.map((e) => `${e.stream} ${e.type}`)).toEqual([
      'session-1 SessionRequested',
      'tenant-alice TenantNodesAllotted',
      'node-3 NodeReserved',
      'session-1 NodesAllocated',
      'node-3 NodeContextualized',
      'session-1 SessionActivated',
      'session-1 SessionRetired',
      'node-3 NodeDeprovisioningStarted',
      'run-b ProvisioningRunStarted',
      'tenant-alice TenantNodesReturned',
      'node-3 NodeDeprovisioned',
    ]);
    const positions = timeline.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('a run on one of the nodes within the span counts without naming the session', () => {
    const log = new HandLog();
    log.add('node-4', 'NodeReserved', { nodeId: 4, sessionId: 9, tenant: 'a', pool: 'p', at });
    log.add('run-x', 'ProvisioningRunFinished', {
      ...runData('x', [4, 5], null),
      status: 'failed',
    });
    log.add('node-4', 'NodeFailed', { nodeId: 4, reason: 'r', previous: 'contextualizing', at });
    log.add('run-y', 'ProvisioningRunFinished', { ...runData('y', [4], null), status: 'failed' });
    const timeline = sessionTimeline(
      {
        session: [],
        nodes: new Map([[4, log.of('node-4')]]),
        tenant: [],
        runs: [...log.of('run-x'), ...log.of('run-y')],
      },
      9,
    );
    expect(timeline.map((e) => e.stream)).toEqual(['node-4', 'run-x', 'node-4']);
  });
});
