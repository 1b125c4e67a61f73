import { checkChaosRun } from './check-chaos-run';
import { forgeDoubledAllocation } from './forge-doubled-allocation';
import { CraftedLog, quietEvidence } from './testing/crafted-log';

const rules = (log: CraftedLog) =>
  checkChaosRun(quietEvidence(log.events)).violations.map((v) => `${v.rule}: ${v.detail}`);

describe('node-in-two-sessions', () => {
  it('passes a node reserved, deprovisioned, provisioned again and reserved by the next session', () => {
    const log = new CraftedLog().tenant('a').tenant('b').readyNode(1, 'static', true);
    log
      .allocated(10, 'a', [{ nodeId: 1, pool: 'static' }])
      .after(5)
      .retired(10, 'a', [1]);
    log
      .after(1)
      .append('node-1', 'NodeDeprovisioned', { nodeId: 1 })
      .after(1)
      .readyNode(1, 'static', true);
    log.allocated(11, 'b', [{ nodeId: 1, pool: 'static' }]);
    expect(rules(log)).toEqual([]);
  });

  it('passes a node released by a sibling failure and taken before its session fails', () => {
    const log = new CraftedLog()
      .tenant('a')
      .tenant('b')
      .readyNode(1, 'static')
      .readyNode(2, 'static');
    log.allocated(10, 'a', [
      { nodeId: 1, pool: 'static' },
      { nodeId: 2, pool: 'static' },
    ]);
    log.append('node-2', 'NodeFailed', { nodeId: 2, reason: 'ssh', previous: 'contextualizing' });
    log.append('node-1', 'NodeReleased', {
      nodeId: 1,
      sessionId: 10,
      reason: 'another node failed',
    });
    log.allocated(11, 'b', [{ nodeId: 1, pool: 'static' }]);
    log.append('tenant-a', 'TenantNodesReturned', { name: 'a', sessionId: 10, count: 2 });
    log.append('session-10', 'SessionFailed', {
      sessionId: 10,
      reason: 'contextualization_failed',
      detail: 'x',
    });
    expect(rules(log)).toEqual([]);
  });

  it('reports a reservation of a held node, from the node stream', () => {
    const log = new CraftedLog().tenant('a').readyNode(1, 'static');
    log.allocated(10, 'a', [{ nodeId: 1, pool: 'static' }]);
    log.append('node-1', 'NodeReserved', { nodeId: 1, sessionId: 11, tenant: 'a', pool: 'static' });
    expect(rules(log)).toEqual([
      expect.stringMatching(
        /^node-in-two-sessions: node 1 reserved for session 11 .* session 10 holds it/,
      ),
    ]);
  });

  it('reports an allocation naming a node another session holds, from the sessions', () => {
    const log = new CraftedLog().tenant('a').readyNode(1, 'static');
    log.allocated(10, 'a', [{ nodeId: 1, pool: 'static' }]);
    log.requested(11, 'a', [{ pool: 'static', quantity: 1 }]);
    log.append('session-11', 'NodesAllocated', {
      sessionId: 11,
      nodes: [{ nodeId: 1, pool: 'static' }],
    });
    expect(rules(log).filter((r) => r.startsWith('node-in-two-sessions'))).toEqual([
      expect.stringMatching(/session 11 allocated node 1 .* session 10 holds it/),
    ]);
  });

  it("catches forgeDoubledAllocation's writes appended to a clean log", () => {
    const log = new CraftedLog().tenant('a').readyNode(1, 'static');
    log
      .allocated(10, 'a', [{ nodeId: 1, pool: 'static' }])
      .after(5)
      .retired(10, 'a', [1]);
    expect(rules(log)).toEqual([]);
    for (const write of forgeDoubledAllocation(log.events)) {
      for (const e of write.events)
        log.append(write.stream, e.type, e.data as Record<string, unknown>);
    }
    const found = rules(log).filter((r) => r.startsWith('node-in-two-sessions'));
    expect(found).toEqual([
      expect.stringMatching(/session 12 allocated node 1 .* session 11 holds it/),
      expect.stringMatching(/node 1 reserved for session 12 .* session 11 holds it/),
    ]);
  });
});
