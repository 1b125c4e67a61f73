import { DomainErrorCode } from '../domain-error';
import { fold } from '../decider';
import { SessionCommand } from './session.commands';
import { sessionDecider } from './session.decider';
import { SessionEvent } from './session.events';

// Queued sessions (issue 16): the new transitions, every command × every state.
const H = 3600e3;
const created = '2026-01-01T00:00:00.000Z';
const now = '2026-01-01T01:00:00.000Z';
const expiresAt = '2026-01-01T06:00:00.000Z';
const afterExpiry = '2026-01-01T07:00:00.000Z';
const owner = { name: 't', isAdmin: false };
const admin = { name: 'admin', isAdmin: true };
const stranger = { name: 'u', isAdmin: false };
const system = { name: 'system:expiry', isAdmin: true };

const requested: SessionEvent = {
  type: 'SessionRequested',
  data: {
    sessionId: 4,
    tenant: 't',
    specs: [
      { pool: 'b', quantity: 1 },
      { pool: 'a', quantity: 2 },
    ],
    idempotencyKey: null,
    requestedBy: 't',
    createdAt: created,
    expiresAt,
  },
};
const queuedFacts = { pool: 'a', requested: 2, ready: 1, queued_ahead: 0 };
const queued: SessionEvent = {
  type: 'SessionQueued',
  data: { sessionId: 4, deadline: '2026-01-01T00:10:00.000Z', facts: queuedFacts, at: created },
};
const nodes = [
  { nodeId: 1, pool: 'a' },
  { nodeId: 2, pool: 'a' },
  { nodeId: 3, pool: 'b' },
];
const allocated: SessionEvent = { type: 'NodesAllocated', data: { sessionId: 4, nodes, at: now } };
const activated: SessionEvent = { type: 'SessionActivated', data: { sessionId: 4, at: now } };

const HISTORIES: Record<string, SessionEvent[]> = {
  absent: [],
  requested: [requested],
  queued: [requested, queued],
  // Served from the line.
  allocated: [requested, queued, allocated],
  active: [requested, queued, allocated, activated],
  // Cancelled while queued.
  retired: [
    requested,
    queued,
    {
      type: 'SessionRetired',
      data: { sessionId: 4, by: 'tenant', actor: 't', reason: 'cancelled', at: now },
    },
  ],
  // Its deadline passed.
  failed: [
    requested,
    queued,
    {
      type: 'SessionFailed',
      data: { sessionId: 4, reason: 'deadline_passed', detail: 'x', at: now },
    },
  ],
};

const COMMANDS: Record<string, SessionCommand> = {
  QueueSession: {
    type: 'QueueSession',
    data: { deadline: '2026-01-01T01:10:00.000Z', facts: queuedFacts, now },
  },
  AllocateNodes: { type: 'AllocateNodes', data: { nodes, now } },
  ActivateSession: { type: 'ActivateSession', data: { now } },
  ExtendSession: {
    type: 'ExtendSession',
    data: { requester: owner, expiresAt: '+1h', ownerLifetimeMaxMs: 12 * H, now },
  },
  RetireSession: { type: 'RetireSession', data: { by: 'tenant', requester: owner, now } },
  RetireByExpiry: {
    type: 'RetireSession',
    data: { by: 'expiry', requester: system, now: afterExpiry },
  },
  FailSession: {
    type: 'FailSession',
    data: { reason: 'deadline_passed', detail: 'x', facts: { waited_seconds: 600 }, now },
  },
};

type Outcome = { events: string[]; status: string } | { error: DomainErrorCode };
const ok = (events: string[], status: string): Outcome => ({ events, status });
const bad: Outcome = { error: 'invalid_transition' };
const missing: Outcome = { error: 'not_found' };
const retiredErr: Outcome = { error: 'session_retired' };

const TABLE: Record<string, Record<string, Outcome>> = {
  QueueSession: {
    absent: missing,
    requested: ok(['SessionQueued'], 'queued'),
    queued: ok([], 'queued'), // queued again (a replay): nothing new
    allocated: bad,
    active: bad,
    retired: bad,
    failed: bad,
  },
  AllocateNodes: {
    absent: missing,
    requested: ok(['NodesAllocated'], 'allocated'),
    queued: ok(['NodesAllocated'], 'allocated'),
    allocated: ok([], 'allocated'),
    active: bad,
    retired: bad,
    failed: bad,
  },
  ActivateSession: {
    absent: missing,
    requested: bad,
    queued: bad, // no node yet
    allocated: ok(['SessionActivated'], 'active'),
    active: ok([], 'active'),
    retired: bad,
    failed: bad,
  },
  ExtendSession: {
    absent: missing,
    requested: ok(['SessionExtended'], 'requested'),
    queued: ok(['SessionExtended'], 'queued'),
    allocated: ok(['SessionExtended'], 'allocated'),
    active: ok(['SessionExtended'], 'active'),
    retired: retiredErr,
    failed: bad,
  },
  RetireSession: {
    absent: missing,
    requested: bad,
    queued: ok(['SessionRetired'], 'retired'), // cancelled
    allocated: ok(['SessionRetired'], 'retired'),
    active: ok(['SessionRetired'], 'retired'),
    retired: retiredErr,
    failed: bad,
  },
  RetireByExpiry: {
    absent: missing,
    requested: bad,
    queued: bad, // the expiry never ends a wait; its deadline does
    allocated: ok(['SessionRetired'], 'retired'),
    active: ok(['SessionRetired'], 'retired'),
    retired: retiredErr,
    failed: bad,
  },
  FailSession: {
    absent: missing,
    requested: ok(['SessionFailed'], 'failed'),
    queued: ok(['SessionFailed'], 'failed'),
    allocated: ok(['SessionFailed'], 'failed'),
    active: bad,
    retired: bad,
    failed: ok([], 'failed'),
  },
};

const cases = Object.entries(TABLE).flatMap(([command, row]) =>
  Object.entries(row).map(([state, outcome]) => ({ command, state, outcome })),
);

describe('session decider with the queue: every transition', () => {
  it('covers every state', () => {
    for (const row of Object.values(TABLE)) {
      expect(Object.keys(row).sort()).toEqual(Object.keys(HISTORIES).sort());
    }
  });

  it.each(cases)('$command from $state', ({ command, state, outcome }) => {
    const before = fold(sessionDecider, HISTORIES[state]);
    const run = () => sessionDecider.decide(COMMANDS[command], before);
    if ('error' in outcome) {
      expect(run).toThrow(expect.objectContaining({ code: outcome.error }));
      return;
    }
    const events = run();
    expect(events.map((e) => e.type)).toEqual(outcome.events);
    expect(events.reduce(sessionDecider.evolve, before).status).toBe(outcome.status);
  });
});

describe('session decider: queueing', () => {
  const queue = (deadline: string, at = now) =>
    sessionDecider.decide(
      { type: 'QueueSession', data: { deadline, facts: queuedFacts, now: at } },
      fold(sessionDecider, HISTORIES.requested),
    );

  it('records the deadline and the facts, and the state keeps the deadline', () => {
    const events = queue('2026-01-01T01:10:00.000Z');
    expect(events).toEqual([
      {
        type: 'SessionQueued',
        data: { sessionId: 4, deadline: '2026-01-01T01:10:00.000Z', facts: queuedFacts, at: now },
      },
    ]);
    const state = events.reduce(sessionDecider.evolve, fold(sessionDecider, HISTORIES.requested));
    expect(state).toMatchObject({
      status: 'queued',
      deadline: '2026-01-01T01:10:00.000Z',
      nodes: [],
    });
  });

  it('a deadline beyond the expiry is clamped to it', () => {
    expect(queue('2026-01-01T10:00:00.000Z')[0].data).toMatchObject({ deadline: expiresAt });
  });

  it.each([
    { name: 'in the past', deadline: created },
    { name: 'now', deadline: now },
  ])('a deadline $name is refused', ({ deadline }) => {
    expect(() => queue(deadline)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('a queued session extended keeps its place and its deadline', () => {
    const state = fold(sessionDecider, HISTORIES.queued);
    const events = sessionDecider.decide(COMMANDS.ExtendSession, state);
    const after = events.reduce(sessionDecider.evolve, state);
    expect(after).toMatchObject({
      status: 'queued',
      expiresAt: '2026-01-01T07:00:00.000Z',
      deadline: '2026-01-01T00:10:00.000Z',
    });
  });
});

describe('session decider: leaving the queue', () => {
  const fromQueued = (command: SessionCommand) => {
    const state = fold(sessionDecider, HISTORIES.queued);
    const events = sessionDecider.decide(command, state);
    return { events, state: events.reduce(sessionDecider.evolve, state) };
  };

  it('served: NodesAllocated with the whole set', () => {
    const { events, state } = fromQueued(COMMANDS.AllocateNodes);
    expect(events[0].data).toEqual({ sessionId: 4, nodes, at: now });
    expect(state).toMatchObject({ status: 'allocated', nodes });
  });

  it('served with part of the set: refused', () => {
    expect(() =>
      fromQueued({ type: 'AllocateNodes', data: { nodes: nodes.slice(0, 2), now } }),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('failed with its facts: in the event and in the state', () => {
    const { events, state } = fromQueued(COMMANDS.FailSession);
    expect(events[0].data).toEqual({
      sessionId: 4,
      reason: 'deadline_passed',
      detail: 'x',
      facts: { waited_seconds: 600 },
      at: now,
    });
    expect(state.failure).toEqual({
      reason: 'deadline_passed',
      detail: 'x',
      facts: { waited_seconds: 600 },
    });
  });

  it('failed without facts: none recorded', () => {
    const { events } = fromQueued({
      type: 'FailSession',
      data: { reason: 'tenant_retired', detail: 'gone', now },
    });
    expect(events[0].data).not.toHaveProperty('facts');
  });

  it.each([
    { name: 'by its owner', by: 'tenant' as const, requester: owner },
    { name: 'by an admin', by: 'admin' as const, requester: admin },
  ])('cancelled $name: SessionRetired with reason cancelled', ({ by, requester }) => {
    const { events, state } = fromQueued({ type: 'RetireSession', data: { by, requester, now } });
    expect(events[0].data).toEqual({
      sessionId: 4,
      by,
      actor: requester.name,
      reason: 'cancelled',
      at: now,
    });
    expect(state).toMatchObject({ status: 'retired', retiredAt: now, nodes: [] });
  });

  it('cancelled by another tenant: not_owner', () => {
    expect(() =>
      fromQueued({ type: 'RetireSession', data: { by: 'tenant', requester: stranger, now } }),
    ).toThrow(expect.objectContaining({ code: 'not_owner' }));
  });

  it('the expiry never retires a queued session, even long after its expiry', () => {
    expect(() =>
      fromQueued({
        type: 'RetireSession',
        data: { by: 'expiry', requester: system, now: '2026-01-02T00:00:00.000Z' },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
  });
});
