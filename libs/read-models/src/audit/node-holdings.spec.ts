import { eventsWithinSpans, nodeHoldings } from './node-holdings';
import { HandLog } from './testing/audit-events';

const at = '2026-03-10T14:00:00.000Z';

/** One node lent to alice (released back to ready), then to bob (deprovisioned after). */
function reusedNode() {
  const log = new HandLog();
  const n = 'node-3';
  log.add(n, 'NodeProvisioningStarted', { nodeId: 3, pool: 'small', reusable: true, at });
  log.add(n, 'NodeProvisioningSucceeded', {
    nodeId: 3,
    hostname: 'n3',
    ipaddr: '127.0.0.3',
    provision: {},
    at,
  });
  const aliceFrom = log.add(n, 'NodeReserved', {
    nodeId: 3,
    sessionId: 1,
    tenant: 'alice',
    pool: 'small',
    at,
  });
  const aliceTo = log.add(n, 'NodeReleased', {
    nodeId: 3,
    sessionId: 1,
    reason: 'sibling failed',
    at,
  });
  const bobFrom = log.add(n, 'NodeReserved', {
    nodeId: 3,
    sessionId: 2,
    tenant: 'bob',
    pool: 'small',
    at,
  });
  log.add(n, 'NodeContextualized', { nodeId: 3, sessionId: 2, at });
  const bobTo = log.add(n, 'NodeDeprovisioningStarted', {
    nodeId: 3,
    sessionId: 2,
    reason: 'retired',
    at,
  });
  const bobEnd = log.add(n, 'NodeDeprovisioned', { nodeId: 3, at });
  log.add(n, 'NodeProvisioningStarted', { nodeId: 3, pool: 'small', reusable: true, at });
  return { log, aliceFrom, aliceTo, bobFrom, bobTo, bobEnd };
}

describe('nodeHoldings', () => {
  it('a node reused by two tenants: one holding each, released (at rest at once) and deprovisioned (span to the end of cleanup)', () => {
    const { log, aliceFrom, aliceTo, bobFrom, bobTo, bobEnd } = reusedNode();
    expect(nodeHoldings(log.events)).toEqual([
      {
        nodeId: 3,
        sessionId: 1,
        tenant: 'alice',
        fromPosition: aliceFrom.position,
        from: aliceFrom.time,
        toPosition: aliceTo.position,
        to: aliceTo.time,
        endPosition: aliceTo.position,
      },
      {
        nodeId: 3,
        sessionId: 2,
        tenant: 'bob',
        fromPosition: bobFrom.position,
        from: bobFrom.time,
        toPosition: bobTo.position,
        to: bobTo.time,
        endPosition: bobEnd.position,
      },
    ]);
  });

  it('a holding that ends in a failure, one that ends in retirement, and one still held', () => {
    const log = new HandLog();
    const n = 'node-4';
    log.add(n, 'NodeRegistered', {
      nodeId: 4,
      hostname: 'n4',
      ipaddr: '127.0.0.4',
      comment: null,
      pool: null,
      reusable: true,
      data: {},
      at,
    });
    const r1 = log.add(n, 'NodeReserved', {
      nodeId: 4,
      sessionId: 7,
      tenant: 'alice',
      pool: 'small',
      at,
    });
    const failed = log.add(n, 'NodeFailed', {
      nodeId: 4,
      reason: 'unreachable',
      previous: 'contextualizing',
      at,
    });
    log.add(n, 'NodeProvisioningStarted', { nodeId: 4, pool: 'small', reusable: true, at });
    const r2 = log.add(n, 'NodeReserved', {
      nodeId: 4,
      sessionId: 8,
      tenant: 'bob',
      pool: 'small',
      at,
    });
    const retired = log.add(n, 'NodeRetired', { nodeId: 4, reason: 'admin', at });
    const r3 = log.add(n, 'NodeReserved', {
      nodeId: 4,
      sessionId: 9,
      tenant: 'carol',
      pool: 'small',
      at,
    });
    log.add(n, 'NodeContextualized', { nodeId: 4, sessionId: 9, at });
    const holdings = nodeHoldings(log.events);
    expect(holdings.map((h) => [h.sessionId, h.fromPosition, h.toPosition, h.endPosition])).toEqual(
      [
        [7, r1.position, failed.position, failed.position],
        [8, r2.position, retired.position, retired.position],
        [9, r3.position, null, null],
      ],
    );
    expect(holdings[2].to).toBeNull();
  });

  it('a deprovisioning still running: `to` is set, the span stays open', () => {
    const log = new HandLog();
    const r = log.add('node-5', 'NodeReserved', {
      nodeId: 5,
      sessionId: 1,
      tenant: 'a',
      pool: 'p',
      at,
    });
    const d = log.add('node-5', 'NodeDeprovisioningStarted', {
      nodeId: 5,
      sessionId: 1,
      reason: 'x',
      at,
    });
    expect(nodeHoldings(log.events)).toEqual([
      expect.objectContaining({
        fromPosition: r.position,
        toPosition: d.position,
        endPosition: null,
      }),
    ]);
  });

  it('no reservation, no holding', () => {
    const log = new HandLog();
    log.add('node-6', 'NodeProvisioningStarted', { nodeId: 6, pool: 'p', reusable: false, at });
    expect(nodeHoldings(log.events)).toEqual([]);
  });
});

describe('eventsWithinSpans', () => {
  it("a tenant's own spans only: bob reads his reservation to the end of its cleanup, nothing of alice's", () => {
    const { log, bobFrom, bobEnd } = reusedNode();
    const bob = nodeHoldings(log.events).filter((h) => h.tenant === 'bob');
    expect(eventsWithinSpans(log.events, bob).map((e) => e.type)).toEqual([
      'NodeReserved',
      'NodeContextualized',
      'NodeDeprovisioningStarted',
      'NodeDeprovisioned',
    ]);
    const positions = eventsWithinSpans(log.events, bob).map((e) => e.position);
    expect(positions[0]).toBe(bobFrom.position);
    expect(positions.at(-1)).toBe(bobEnd.position);
    const alice = nodeHoldings(log.events).filter((h) => h.tenant === 'alice');
    expect(eventsWithinSpans(log.events, alice).map((e) => e.type)).toEqual([
      'NodeReserved',
      'NodeReleased',
    ]);
  });

  it("a throw-away node's span ends with its decommissioning right after deprovisioning", () => {
    const log = new HandLog();
    const n = 'node-5';
    log.add(n, 'NodeProvisioningStarted', { nodeId: 5, pool: 'small', reusable: false, at });
    log.add(n, 'NodeReserved', { nodeId: 5, sessionId: 7, tenant: 'alice', pool: 'small', at });
    log.add(n, 'NodeDeprovisioningStarted', { nodeId: 5, sessionId: 7, reason: 'retired', at });
    log.add(n, 'NodeDeprovisioned', { nodeId: 5, at });
    const retired = log.add(n, 'NodeRetired', { nodeId: 5, reason: 'deprovisioned', at });
    expect(nodeHoldings(log.events)[0].endPosition).toBe(retired.position);

    // A reusable node's later retirement is not part of the session's cleanup.
    const reused = reusedNode();
    const later = reused.log.add('node-3', 'NodeRetired', { nodeId: 3, reason: 'gone', at });
    expect(nodeHoldings(reused.log.events)[1].endPosition).toBe(reused.bobEnd.position);
    expect(later.position).toBeGreaterThan(reused.bobEnd.position);
  });
});
