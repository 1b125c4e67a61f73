import {
  countStates,
  describeRequestPhase,
  failureText,
  queueText,
  requestSummary,
  streamEntryText,
} from './request-phase.js';

const levels = (contextualizing: number, ready: number) => ({
  provisioning: 0,
  ready,
  contextualizing,
  deployed: 0,
  deprovisioning: 0,
});

describe('request phase', () => {
  it('sums up what is requested', () => {
    expect(requestSummary([{ pool: 'demo-small', quantity: 2 }])).toBe(
      'requesting 2 node(s) from demo-small',
    );
    expect(
      requestSummary([
        { pool: 'a', quantity: 1 },
        { pool: 'b', quantity: 2 },
      ]),
    ).toBe('requesting 3 node(s) from a, b');
  });

  it("prefers the new session's node states", () => {
    expect(
      describeRequestPhase({
        levels: { a: levels(5, 0) },
        sessionNodeStates: ['contextualizing', 'deployed', null],
      }),
    ).toBe('waiting for nodes: 1 contextualizing, 1 deployed, 1 unknown');
  });

  it('falls back to the pools: contextualizing nodes, else the ready ones', () => {
    expect(describeRequestPhase({ levels: { a: levels(1, 2), b: levels(1, 0) } })).toBe(
      'waiting for nodes: 2 contextualizing',
    );
    expect(describeRequestPhase({ levels: { a: levels(0, 3) } })).toBe(
      'reserving nodes (3 ready in the pool)',
    );
    expect(describeRequestPhase({ levels: { a: levels(0, 3), b: levels(0, 1) } })).toBe(
      'reserving nodes (4 ready in the pools)',
    );
    expect(describeRequestPhase({ levels: { a: undefined }, sessionNodeStates: [] })).toBe(
      'waiting for the API',
    );
  });

  it('counts states in first-seen order', () => {
    expect(countStates(['deployed', 'contextualizing', 'deployed'])).toBe(
      '2 deployed, 1 contextualizing',
    );
  });
});

describe('queued request text', () => {
  const now = new Date('2030-01-01T10:30:00Z');
  const queue = {
    position: 2,
    ahead_nodes: 1,
    eta: '2030-01-01T10:42:00Z',
    deadline: '2030-01-02T00:10:00Z',
  };

  it('says the place in line, with the date only for another day', () => {
    expect(queueText(queue, now, 'UTC')).toBe(
      'queued: position 2, 1 node ahead, eta 10:42 (deadline 2030-01-02 00:10)',
    );
    const soon = { ...queue, ahead_nodes: 0, eta: null, deadline: '2030-01-01T10:50:00Z' };
    expect(queueText(soon, now, 'Europe/Berlin')).toBe(
      'queued: position 2, 0 nodes ahead, eta unknown (deadline 11:50)',
    );
  });

  it('says a failure with its code, detail and facts', () => {
    expect(failureText({ code: 'quota_exceeded', detail: 'over quota' })).toBe(
      'quota_exceeded: over quota',
    );
    expect(
      streamEntryText({
        type: 'SessionFailed',
        state: 'failed',
        data: { reason: 'deadline_passed', detail: 'too late', facts: { pool: 'a', ready: 0 } },
      }),
    ).toBe('failed: deadline_passed: too late (pool=a, ready=0)');
  });

  it('uses the summary of node events and leaves out what the queued answer said', () => {
    expect(streamEntryText({ type: 'NodeReserved', summary: 'node 3 reserved' })).toBe(
      'node 3 reserved',
    );
    expect(streamEntryText({ type: 'SessionQueued', summary: 'queued until 10:50' })).toBe(
      undefined,
    );
    expect(streamEntryText({ type: 'SessionActivated', summary: 'session active' })).toBe(
      'active: session active',
    );
  });
});
