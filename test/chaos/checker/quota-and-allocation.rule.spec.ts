import { checkChaosRun } from './check-chaos-run';
import { CraftedLog, quietEvidence } from './testing/crafted-log';

const found = (log: CraftedLog, rule: string) =>
  checkChaosRun(quietEvidence(log.events))
    .violations.filter((v) => v.rule === rule)
    .map((v) => v.detail);

/** Ready nodes in a static pool (no markers) with room for them all. */
const nodes = (log: CraftedLog, n: number) => {
  for (let i = 1; i <= n; i++) log.readyNode(i, 'wide');
  return log;
};
const on = (...ids: number[]) => ids.map((nodeId) => ({ nodeId, pool: 'wide' }));

describe('quota-exceeded', () => {
  it('passes allotments up to the quota, again after a return, and an admin above the default', () => {
    const log = nodes(
      new CraftedLog().tenant('a', { nodeQuota: 2 }).tenant('root', { isAdmin: true }),
      6,
    );
    log.allocated(10, 'a', on(1, 2)).retired(10, 'a', [1, 2]).allocated(11, 'a', on(3, 4));
    log.allocated(12, 'root', on(5, 6));
    expect(found(log, 'quota-exceeded')).toEqual([]);
    expect(checkChaosRun(quietEvidence(log.events)).violations).toEqual([]);
  });

  it('reports a tenant allotted above its own quota, and above the default when it has none', () => {
    const log = nodes(new CraftedLog().tenant('a', { nodeQuota: 2 }).tenant('b'), 6);
    log.allocated(10, 'a', on(1, 2)).allocated(11, 'a', on(3));
    log.allocated(12, 'b', on(4, 5)).allocated(13, 'b', on(6)); // default quota 4: fine
    log.append('tenant-b', 'TenantNodesAllotted', { name: 'b', sessionId: 14, count: 2 });
    expect(found(log, 'quota-exceeded')).toEqual([
      expect.stringMatching(/^tenant a holds 3 nodes > quota 2 after session 11/),
      expect.stringMatching(/^tenant b holds 5 nodes > quota 4 after session 14/),
    ]);
  });
});

describe('half-allocated', () => {
  it('reports an allocation short of its specs, and a failed session left holding a node and quota', () => {
    const log = nodes(new CraftedLog().tenant('a'), 3);
    log.requested(10, 'a', [{ pool: 'wide', quantity: 2 }]);
    log.append('session-10', 'NodesAllocated', { sessionId: 10, nodes: on(1) });
    log.allocated(11, 'a', on(2));
    log.append('session-11', 'SessionFailed', {
      sessionId: 11,
      reason: 'contextualization_failed',
      detail: 'x',
    });
    expect(found(log, 'half-allocated')).toEqual([
      expect.stringMatching(/^session 10 allocated wide:1 .* asked for wide:2/),
      expect.stringMatching(/^failed session 11 still holds node 2 \(contextualizing\)/),
      expect.stringMatching(/^failed session 11 still holds 1 node\(s\) of tenant a's quota/),
    ]);
  });

  it('passes a failed session whose node went back and whose quota was returned', () => {
    const log = nodes(new CraftedLog().tenant('a'), 1);
    log.allocated(11, 'a', on(1));
    log.append('node-1', 'NodeReleased', { nodeId: 1, sessionId: 11, reason: 'compensation' });
    log.append('tenant-a', 'TenantNodesReturned', { name: 'a', sessionId: 11, count: 1 });
    log.append('session-11', 'SessionFailed', {
      sessionId: 11,
      reason: 'interrupted',
      detail: 'x',
    });
    expect(checkChaosRun(quietEvidence(log.events)).violations).toEqual([]);
  });
});

describe('stuck-node and stuck-session', () => {
  const at = (log: CraftedLog, seconds: number) =>
    checkChaosRun(
      quietEvidence(log.events, { now: new Date(Date.parse(log.at) + seconds * 1000) }),
    ).violations.map((v) => `${v.rule}: ${v.detail}`);

  it('reports a node provisioning past its timeout + grace, not before', () => {
    const log = new CraftedLog().append('node-1', 'NodeProvisioningStarted', {
      nodeId: 1,
      pool: 'wide',
      reusable: false,
    });
    expect(at(log, 39)).toEqual([]); // 25 s timeout + 15 s grace
    expect(at(log, 41)).toEqual([expect.stringMatching(/^stuck-node: node 1 provisioning since/)]);
  });

  it('passes a node failed by the reconciler, and a retired one', () => {
    const log = new CraftedLog().append('node-1', 'NodeProvisioningStarted', {
      nodeId: 1,
      pool: 'wide',
      reusable: false,
    });
    log
      .after(26)
      .append('node-1', 'NodeFailed', { nodeId: 1, reason: 'stuck', previous: 'provisioning' });
    log.append('node-2', 'NodeProvisioningStarted', { nodeId: 2, pool: 'wide', reusable: false });
    log.append('node-2', 'NodeRetired', { nodeId: 2, reason: 'purged' });
    expect(at(log, 600)).toEqual([]);
  });

  it('reports a request still in flight past the grace and a queued one past its deadline', () => {
    const log = new CraftedLog().tenant('a');
    log.requested(10, 'a', [{ pool: 'wide', quantity: 1 }]);
    log.requested(11, 'a', [{ pool: 'wide', quantity: 1 }]);
    log.append('session-11', 'SessionQueued', {
      sessionId: 11,
      deadline: new Date(Date.parse(log.at) + 60_000).toISOString(),
      facts: {},
    });
    expect(at(log, 10)).toEqual([]);
    expect(at(log, 20)).toEqual([expect.stringMatching(/^stuck-session: session 10 requested at/)]);
    expect(at(log, 76)).toEqual([
      expect.stringMatching(/^stuck-session: session 10 requested/),
      expect.stringMatching(/^stuck-session: session 11 still queued, deadline/),
    ]);
  });

  it('reports an active session long past its expiry, not one extended', () => {
    const log = new CraftedLog().tenant('a').readyNode(1, 'wide').readyNode(2, 'wide');
    for (const [sessionId, nodeId] of [
      [10, 1],
      [11, 2],
    ]) {
      log.allocated(sessionId, 'a', [{ nodeId, pool: 'wide' }]);
      log.append(`node-${nodeId}`, 'NodeContextualized', { nodeId, sessionId, at: log.at });
      log.append(`session-${sessionId}`, 'SessionActivated', { sessionId, at: log.at });
    }
    log.append('session-11', 'SessionExtended', {
      sessionId: 11,
      expiresAt: new Date(Date.parse(log.at) + 7200e3).toISOString(),
      previousExpiresAt: null,
    });
    expect(at(log, 3600 + 10)).toEqual([]); // expired 10 s ago: the expiry may not have run
    expect(at(log, 3600 + 20)).toEqual([
      expect.stringMatching(/^stuck-session: session 10 still active, expired at/),
    ]);
  });

  it('passes a queued session that timed out and one cancelled', () => {
    const log = new CraftedLog().tenant('a');
    for (const id of [10, 11]) {
      log.requested(id, 'a', [{ pool: 'wide', quantity: 1 }]);
      log.append('tenant-a', 'TenantNodesAllotted', { name: 'a', sessionId: id, count: 1 });
      log.append(`session-${id}`, 'SessionQueued', { sessionId: id, deadline: log.at, facts: {} });
    }
    log.after(30).append('session-10', 'SessionFailed', {
      sessionId: 10,
      reason: 'deadline_passed',
      detail: '',
    });
    log.append('tenant-a', 'TenantNodesReturned', { name: 'a', sessionId: 10, count: 1 });
    log.append('session-11', 'SessionRetired', {
      sessionId: 11,
      by: 'tenant',
      actor: 'a',
      reason: 'cancelled',
    });
    log.append('tenant-a', 'TenantNodesReturned', { name: 'a', sessionId: 11, count: 1 });
    expect(at(log, 600)).toEqual([]);
  });
});
