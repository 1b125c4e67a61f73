import { fold } from '../decider';
import { RunCommand, RunOutcomeData } from './run.commands';
import { provisioningRunDecider } from './run.decider';
import { ProvisioningRunRecord, RunEvent } from './run.events';

const record: ProvisioningRunRecord = {
  runId: 'r1',
  pool: 'p',
  kind: 'provision',
  fillRunId: 'f1',
  sessionId: null,
  nodeIds: [1, 2],
  mechanism: 'ansible',
  playbook: 'provision.yml',
  provisioner: 'a',
};
const start: RunCommand = {
  type: 'StartRun',
  data: { ...record, now: '2026-01-01T00:00:00.000Z' },
};
const outcome: RunOutcomeData = {
  playbook: 'provision.yml',
  status: 'failed',
  reason: 'exit 2',
  durationMs: 1500,
  exitCode: 2,
  timedOut: false,
  outputTail: 'PLAY RECAP',
  succeededNodeIds: [1],
  failedNodeIds: [2],
};
const finish: RunCommand = {
  type: 'FinishRun',
  data: { ...outcome, runId: 'r1', now: '2026-01-01T00:00:01.500Z' },
};

function decideAll(commands: RunCommand[]): RunEvent[] {
  const log: RunEvent[] = [];
  for (const c of commands)
    log.push(...provisioningRunDecider.decide(c, fold(provisioningRunDecider, log)));
  return log;
}

describe('provisioning run decider', () => {
  it('a start, then a finish carrying the whole record', () => {
    const [started, finished] = decideAll([start, finish]);
    expect(started).toEqual({
      type: 'ProvisioningRunStarted',
      data: { ...record, startedAt: '2026-01-01T00:00:00.000Z' },
    });
    expect(finished).toEqual({
      type: 'ProvisioningRunFinished',
      data: {
        ...record,
        ...outcome,
        startedAt: '2026-01-01T00:00:00.000Z',
        at: '2026-01-01T00:00:01.500Z',
      },
    });
  });

  it('a repeated start or finish (retried, redelivered) appends nothing', () => {
    expect(decideAll([start, start, finish, finish, start]).map((e) => e.type)).toEqual([
      'ProvisioningRunStarted',
      'ProvisioningRunFinished',
    ]);
  });

  it('finishing a run never started is not_found', () => {
    expect(() => decideAll([finish])).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
