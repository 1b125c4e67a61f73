import type { EffectMarker } from '../contract';
import { checkChaosRun } from './check-chaos-run';
import { CraftedLog, quietEvidence } from './testing/crafted-log';

const marker = (kind: EffectMarker['kind'], nodeId: number, at: number): EffectMarker => ({
  kind,
  nodeId,
  at: new Date(at).toISOString(),
});

/** Node 1 of the Ansible pool `cloud`: provisioned, used by session 10, deprovisioned, retired. */
function lifecycle() {
  const log = new CraftedLog().tenant('a');
  const provisionAt = log.t0 + 500;
  log
    .readyNode(1, 'cloud')
    .allocated(10, 'a', [{ nodeId: 1, pool: 'cloud' }])
    .after(5);
  log.retired(10, 'a', [1]);
  const deprovisionAt = Date.parse(log.at) + 300;
  log.after(1).append('node-1', 'NodeDeprovisioned', { nodeId: 1 });
  log.append('node-1', 'NodeRetired', { nodeId: 1, reason: 'deprovisioned' });
  return { log, provisionAt, deprovisionAt };
}

const check = (log: CraftedLog, markers: EffectMarker[]) => {
  const report = checkChaosRun(quietEvidence(log.events, { markers }));
  return { found: report.violations.map((v) => `${v.rule}: ${v.detail}`), figures: report.figures };
};

describe('effect-doubled and effect-lost', () => {
  it('passes one provision and one deprovision marker per lifecycle', () => {
    const { log, provisionAt, deprovisionAt } = lifecycle();
    const { found, figures } = check(log, [
      marker('provision', 1, provisionAt),
      marker('deprovision', 1, deprovisionAt),
    ]);
    expect(found).toEqual([]);
    expect(figures).toMatchObject({ effectsProvision: 1, effectsDeprovision: 1, effectsOrphan: 0 });
  });

  it('reports a provisioning that succeeded with no marker, and a deprovision run twice', () => {
    const { log, deprovisionAt } = lifecycle();
    const { found } = check(log, [
      marker('deprovision', 1, deprovisionAt),
      marker('deprovision', 1, deprovisionAt + 20_000),
    ]);
    expect(found).toEqual([
      expect.stringMatching(
        /^effect-lost: node 1 \(cloud\) provision attempt .* succeeded: no provision marker/,
      ),
      expect.stringMatching(
        /^effect-doubled: node 1 \(cloud\) deprovision attempt .* succeeded: 2 markers/,
      ),
    ]);
  });

  it('counts the marker of an attempt killed mid-playbook as an orphan, and reports two in one attempt', () => {
    const log = new CraftedLog();
    log.append('node-1', 'NodeProvisioningStarted', { nodeId: 1, pool: 'cloud', reusable: false });
    const started = Date.parse(log.at);
    log
      .after(30)
      .append('node-1', 'NodeFailed', { nodeId: 1, reason: 'stuck', previous: 'provisioning' });
    log.append('node-1', 'NodeRetired', { nodeId: 1, reason: 'purged' });
    const orphan = check(log, [marker('provision', 1, started + 2000)]);
    expect(orphan.found).toEqual([]);
    expect(orphan.figures.effectsOrphan).toBe(1);
    const doubled = check(log, [
      marker('provision', 1, started + 2000),
      marker('provision', 1, started + 9000),
    ]);
    expect(doubled.found).toEqual([
      expect.stringMatching(/^effect-doubled: node 1 \(cloud\) provision .* failed: 2 markers/),
    ]);
  });

  /** Node 1 deprovisioned by two runs, each writing its marker; the first finished or not. */
  function deprovisionedTwice(firstFinished: boolean) {
    const log = new CraftedLog().tenant('a').readyNode(1, 'cloud');
    log
      .allocated(10, 'a', [{ nodeId: 1, pool: 'cloud' }])
      .after(5)
      .retired(10, 'a', [1]);
    const run = (runId: string) => ({
      runId,
      kind: 'deprovision',
      nodeIds: [1],
      pool: 'cloud',
      startedAt: log.at,
    });
    const markers = [marker('provision', 1, log.t0 + 500)];
    log.append('run-r1', 'ProvisioningRunStarted', run('r1'));
    markers.push(marker('deprovision', 1, Date.parse(log.at) + 500));
    if (firstFinished)
      log.after(1).append('run-r1', 'ProvisioningRunFinished', { ...run('r1'), status: 'failed' });
    log.after(12).append('run-r2', 'ProvisioningRunStarted', run('r2')); // the redelivery
    markers.push(marker('deprovision', 1, Date.parse(log.at) + 500));
    log.after(1).append('node-1', 'NodeDeprovisioned', { nodeId: 1 });
    log.append('run-r2', 'ProvisioningRunFinished', { ...run('r2'), status: 'succeeded' });
    log.append('node-1', 'NodeRetired', { nodeId: 1, reason: 'deprovisioned' });
    return check(log, markers);
  }

  it('counts a deprovision run again after its provisioner was killed as redone, not doubled', () => {
    const resumed = deprovisionedTwice(false);
    expect(resumed.found).toEqual([]);
    expect(resumed.figures.effectsRedoneAfterInterruption).toBe(1);
  });

  it('reports a teardown run again after its first run had finished', () => {
    expect(deprovisionedTwice(true).found).toEqual([
      expect.stringMatching(/^effect-doubled: node 1 \(cloud\) deprovision .* 2 markers/),
    ]);
  });

  it('expects no marker of a static pool', () => {
    const log = new CraftedLog().readyNode(1, 'static');
    expect(check(log, []).found).toEqual([]);
  });
});
