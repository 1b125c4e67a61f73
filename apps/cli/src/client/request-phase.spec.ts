import { countStates, describeRequestPhase, requestSummary } from './request-phase.js';

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
