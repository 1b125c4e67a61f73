import { DomainErrorCode } from '../domain-error';
import { fold } from '../decider';
import { SessionCommand } from './session.commands';
import { sessionDecider } from './session.decider';
import { SessionEvent } from './session.events';

const H = 3600e3;
const created = '2026-01-01T00:00:00.000Z';
const now = '2026-01-01T01:00:00.000Z';
const owner = { name: 't', isAdmin: false };
const admin = { name: 'admin', isAdmin: true };
const stranger = { name: 'u', isAdmin: false };

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
    expiresAt: '2026-01-01T06:00:00.000Z',
  },
};
const nodes = [
  { nodeId: 1, pool: 'a' },
  { nodeId: 2, pool: 'a' },
  { nodeId: 3, pool: 'b' },
];
const allocated: SessionEvent = {
  type: 'NodesAllocated',
  data: { sessionId: 4, nodes, at: created },
};
const activated: SessionEvent = { type: 'SessionActivated', data: { sessionId: 4, at: created } };

const HISTORIES: Record<string, SessionEvent[]> = {
  absent: [],
  requested: [requested],
  allocated: [requested, allocated],
  active: [requested, allocated, activated],
  retired: [
    requested,
    allocated,
    activated,
    {
      type: 'SessionRetired',
      data: { sessionId: 4, by: 'tenant', actor: 't', reason: 'done', at: now },
    },
  ],
  failed: [
    requested,
    {
      type: 'SessionFailed',
      data: { sessionId: 4, reason: 'pool_exhausted', detail: 'x', at: now },
    },
  ],
};

const COMMANDS: Record<string, SessionCommand> = {
  RequestSession: {
    type: 'RequestSession',
    data: {
      sessionId: 4,
      tenant: 't',
      specs: [{ pool: 'a', quantity: 1 }],
      idempotencyKey: 'k',
      requestedBy: 't',
      lifetimeMs: 6 * H,
      lifetimeMaxMs: 12 * H,
      now,
    },
  },
  AllocateNodes: { type: 'AllocateNodes', data: { nodes, now } },
  ActivateSession: { type: 'ActivateSession', data: { now } },
  ExtendSession: {
    type: 'ExtendSession',
    data: { requester: owner, expiresAt: '+1h', ownerLifetimeMaxMs: 12 * H, now },
  },
  RetireSession: { type: 'RetireSession', data: { by: 'tenant', requester: owner, now } },
  FailSession: {
    type: 'FailSession',
    data: { reason: 'contextualization_failed', detail: 'x', now },
  },
};

type Outcome = { events: string[]; status: string } | { error: DomainErrorCode };
const ok = (events: string[], status: string): Outcome => ({ events, status });
const bad: Outcome = { error: 'invalid_transition' };
const missing: Outcome = { error: 'not_found' };
const retiredErr: Outcome = { error: 'session_retired' };

const TABLE: Record<string, Record<string, Outcome>> = {
  RequestSession: {
    absent: ok(['SessionRequested'], 'requested'),
    requested: { error: 'already_exists' },
    allocated: { error: 'already_exists' },
    active: { error: 'already_exists' },
    retired: { error: 'already_exists' },
    failed: { error: 'already_exists' },
  },
  AllocateNodes: {
    absent: missing,
    requested: ok(['NodesAllocated'], 'allocated'),
    allocated: ok([], 'allocated'), // same nodes again: idempotent
    active: bad,
    retired: bad,
    failed: bad,
  },
  ActivateSession: {
    absent: missing,
    requested: bad,
    allocated: ok(['SessionActivated'], 'active'),
    active: ok([], 'active'),
    retired: bad,
    failed: bad,
  },
  ExtendSession: {
    absent: missing,
    requested: ok(['SessionExtended'], 'requested'),
    allocated: ok(['SessionExtended'], 'allocated'),
    active: ok(['SessionExtended'], 'active'),
    retired: retiredErr,
    failed: bad,
  },
  RetireSession: {
    absent: missing,
    requested: bad, // allocation in flight: it ends allocated or failed first
    allocated: ok(['SessionRetired'], 'retired'),
    active: ok(['SessionRetired'], 'retired'),
    retired: retiredErr,
    failed: bad,
  },
  FailSession: {
    absent: missing,
    requested: ok(['SessionFailed'], 'failed'),
    allocated: ok(['SessionFailed'], 'failed'),
    active: bad,
    retired: bad,
    failed: ok([], 'failed'),
  },
};

const cases = Object.entries(TABLE).flatMap(([command, row]) =>
  Object.entries(row).map(([state, outcome]) => ({ command, state, outcome })),
);

describe('session decider: every transition', () => {
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

describe('session decider: request and allocation', () => {
  const request = (specs: { pool: string; quantity: number }[], lifetimeMs = 6 * H) =>
    sessionDecider.decide(
      {
        ...COMMANDS.RequestSession,
        data: { ...COMMANDS.RequestSession.data, specs, lifetimeMs },
      } as SessionCommand,
      fold(sessionDecider, []),
    );

  it.each([
    { name: 'empty specs (W-C12)', specs: [] },
    { name: 'zero quantity', specs: [{ pool: 'a', quantity: 0 }] },
    { name: 'fractional quantity', specs: [{ pool: 'a', quantity: 1.5 }] },
    { name: 'no pool', specs: [{ pool: '', quantity: 1 }] },
  ])('refuses $name', ({ specs }) => {
    expect(() => request(specs)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('expires after the lifetime, capped by the max (W-C5)', () => {
    expect(request([{ pool: 'a', quantity: 1 }])[0].data).toMatchObject({
      expiresAt: '2026-01-01T07:00:00.000Z',
    });
    expect(request([{ pool: 'a', quantity: 1 }], 20 * H)[0].data).toMatchObject({
      expiresAt: '2026-01-01T13:00:00.000Z',
    });
  });

  it.each([
    { name: 'too few nodes', nodes: nodes.slice(0, 2) },
    { name: 'wrong pool', nodes: [...nodes.slice(0, 2), { nodeId: 3, pool: 'a' }] },
    { name: 'a node twice', nodes: [nodes[0], nodes[0], nodes[2]] },
  ])('refuses an allocation with $name', ({ nodes: given }) => {
    const state = fold(sessionDecider, HISTORIES.requested);
    expect(() =>
      sessionDecider.decide({ type: 'AllocateNodes', data: { nodes: given, now } }, state),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('allocating other nodes to an allocated session is refused', () => {
    const state = fold(sessionDecider, HISTORIES.allocated);
    const other = [{ nodeId: 9, pool: 'a' }, ...nodes.slice(1)];
    expect(() =>
      sessionDecider.decide({ type: 'AllocateNodes', data: { nodes: other, now } }, state),
    ).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
  });
});

describe('session decider: retirement', () => {
  const retire = (
    data: Partial<Extract<SessionCommand, { type: 'RetireSession' }>['data']>,
    at = now,
  ) =>
    sessionDecider.decide(
      { type: 'RetireSession', data: { by: 'tenant', requester: owner, now: at, ...data } },
      fold(sessionDecider, HISTORIES.active),
    );

  it('by another tenant is not_owner', () => {
    expect(() => retire({ requester: stranger })).toThrow(
      expect.objectContaining({ code: 'not_owner' }),
    );
  });
  it('by an admin, with reason', () => {
    expect(retire({ by: 'admin', requester: admin })[0].data).toMatchObject({
      by: 'admin',
      actor: 'admin',
    });
  });
  it('as admin by a non-admin is refused', () => {
    expect(() => retire({ by: 'admin' })).toThrow(expect.objectContaining({ code: 'not_owner' }));
  });
  it('by expiry only once expired', () => {
    const system = { name: 'system:expiry', isAdmin: true };
    expect(() => retire({ by: 'expiry', requester: system })).toThrow(
      expect.objectContaining({ code: 'invalid_transition' }),
    );
    expect(
      retire({ by: 'expiry', requester: system }, '2026-01-01T06:00:00.000Z')[0].data,
    ).toMatchObject({
      reason: 'expired',
    });
  });
});

describe('session decider: extension (compat §1.7 without W-C3..C5)', () => {
  // created 00:00, expires 06:00 unless the history says otherwise; owner max 12h → cap 12:00
  const extend = (
    expiresAt: string,
    requester = owner,
    history: SessionEvent[] = HISTORIES.active,
    ownerLifetimeMaxMs = 12 * H,
  ) => {
    const state = fold(sessionDecider, history);
    const events = sessionDecider.decide(
      { type: 'ExtendSession', data: { requester, expiresAt, ownerLifetimeMaxMs, now } },
      state,
    );
    return events.reduce(sessionDecider.evolve, state).expiresAt;
  };
  const extendedTo = (iso: string): SessionEvent[] => [
    ...HISTORIES.active,
    {
      type: 'SessionExtended',
      data: { sessionId: 4, expiresAt: iso, previousExpiresAt: null, by: 'admin', at: now },
    },
  ];

  it.each([
    {
      name: 'positive delta from the current expiry',
      ask: '+1h',
      want: '2026-01-01T07:00:00.000Z',
    },
    { name: 'compound delta', ask: '+1h30m', want: '2026-01-01T07:30:00.000Z' },
    { name: 'negative delta (asked to shorten)', ask: '-2h', want: '2026-01-01T04:00:00.000Z' },
    { name: 'never before created_at', ask: '-1d', want: created },
    { name: 'capped at created_at + owner max', ask: '+1d', want: '2026-01-01T12:00:00.000Z' },
    { name: 'absolute UTC', ask: '2026-01-01T08:00:00Z', want: '2026-01-01T08:00:00.000Z' },
    {
      name: 'absolute with offset is converted (W-C4)',
      ask: '2026-01-01T10:00:00+02:00',
      want: '2026-01-01T08:00:00.000Z',
    },
    {
      name: 'absolute without zone is UTC',
      ask: '2026-01-01T09:00:00',
      want: '2026-01-01T09:00:00.000Z',
    },
  ])('owner: $name', ({ ask, want }) => {
    expect(extend(ask)).toBe(want);
  });

  it('records what was asked for, so history can say an extension was clamped', () => {
    const decide = (expiresAt: string) =>
      sessionDecider.decide(
        {
          type: 'ExtendSession',
          data: { requester: owner, expiresAt, ownerLifetimeMaxMs: 12 * H, now },
        },
        fold(sessionDecider, HISTORIES.active),
      )[0].data;
    expect(decide('+1d')).toMatchObject({
      expiresAt: '2026-01-01T12:00:00.000Z',
      requestedExpiresAt: '2026-01-02T06:00:00.000Z',
      previousExpiresAt: '2026-01-01T06:00:00.000Z',
    });
    expect(decide('+1h')).toMatchObject({
      expiresAt: '2026-01-01T07:00:00.000Z',
      requestedExpiresAt: '2026-01-01T07:00:00.000Z',
    });
  });

  it('admins are not upper-clamped', () => {
    expect(extend('+2d', admin)).toBe('2026-01-03T06:00:00.000Z');
  });

  it("clamps with the owner's max, not the requester's (W-C5)", () => {
    expect(extend('+1d', owner, HISTORIES.active, 8 * H)).toBe('2026-01-01T08:00:00.000Z');
  });

  it('a capped extension never shortens a session already beyond the cap (W-C5)', () => {
    expect(extend('+1h', owner, extendedTo('2026-01-01T20:00:00.000Z'))).toBe(
      '2026-01-01T20:00:00.000Z',
    );
  });

  it('an explicit shortening beyond the cap is granted', () => {
    expect(extend('-1h', owner, extendedTo('2026-01-01T20:00:00.000Z'))).toBe(
      '2026-01-01T19:00:00.000Z',
    );
  });

  it('a delta on a session without expiry counts from now (W-C3)', () => {
    const noExpiry: SessionEvent = {
      ...requested,
      data: { ...requested.data, expiresAt: null as unknown as string },
    };
    expect(extend('+1h', admin, [noExpiry])).toBe('2026-01-01T02:00:00.000Z');
  });

  it.each(['1h', '300', '+', '', 'tomorrow', '+1x'])('refuses %p', (ask) => {
    expect(() => extend(ask)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('by another tenant is not_owner, checked before the expiry is parsed (W-C3)', () => {
    expect(() => extend('garbage', stranger)).toThrow(
      expect.objectContaining({ code: 'not_owner' }),
    );
  });

  it('a retired session says so like the original', () => {
    expect(() => extend('+1h', owner, HISTORIES.retired)).toThrow(
      expect.objectContaining({ code: 'session_retired', detail: 'session 4 is retired' }),
    );
  });
});
