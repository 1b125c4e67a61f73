import { checkChaosRun } from './check-chaos-run';
import { CraftedLog, quietEvidence } from './testing/crafted-log';

const overfilled = (log: CraftedLog) =>
  checkChaosRun(quietEvidence(log.events))
    .violations.filter((v) => v.rule === 'pool-overfilled')
    .map((v) => v.detail);
const start = (log: CraftedLog, nodeId: number) =>
  log.append(`node-${nodeId}`, 'NodeProvisioningStarted', {
    nodeId,
    pool: 'static',
    reusable: false,
  });

describe('pool-overfilled', () => {
  it('passes a fill to the level, and beyond it for what a queued session asks', () => {
    const log = new CraftedLog().tenant('a');
    for (const id of [1, 2, 3, 4]) log.readyNode(id, 'static');
    log.requested(10, 'a', [{ pool: 'static', quantity: 6 }]);
    log.append('session-10', 'SessionQueued', { sessionId: 10, deadline: log.at, facts: {} });
    for (const id of [5, 6]) start(log, id);
    expect(overfilled(log)).toEqual([]);
  });

  it('passes a refill while nodes stuck provisioning (provisioner killed) wait for the reconciler', () => {
    const log = new CraftedLog();
    for (const id of [1, 2, 3, 4]) start(log, id);
    log.after(26);
    for (const id of [5, 6, 7, 8]) start(log, id);
    expect(overfilled(log)).toEqual([]);
  });

  it('reports a second fill of the same deficit', () => {
    const log = new CraftedLog();
    for (const id of [1, 2]) log.readyNode(id, 'static');
    for (const id of [3, 4, 5, 6]) start(log, id);
    expect(overfilled(log)).toEqual([
      'pool static: node 5 started provisioning at position 7 with 2 ready + 3 provisioning > fill level 4 + 0 queued',
      'pool static: node 6 started provisioning at position 8 with 2 ready + 4 provisioning > fill level 4 + 0 queued',
    ]);
  });
});
