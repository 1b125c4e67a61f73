import { Defaults } from '../defaults';
import { fold } from '../decider';
import { TenantCommand } from './tenant.commands';
import { tenantDecider } from './tenant.decider';
import { TenantEvent } from './tenant.events';
import { effectiveNodeQuota } from './tenant.limits';

const now = '2026-01-01T00:00:00.000Z';
const defaults: Defaults = {
  nodeQuota: 5,
  sessionLifetimeMs: 6 * 3600e3,
  sessionLifetimeMaxMs: 12 * 3600e3,
};
const created = (
  over: Partial<Extract<TenantEvent, { type: 'TenantCreated' }>['data']> = {},
): TenantEvent => ({
  type: 'TenantCreated',
  data: {
    tenantId: 3,
    name: 't',
    isAdmin: false,
    sshKey: 'ssh-ed25519 AAA',
    apiKeyHash: '$2b$04$hash',
    nodeQuota: null,
    sessionLifetimeMs: null,
    sessionLifetimeMaxMs: null,
    at: now,
    ...over,
  },
});
const allotted = (sessionId: number, count: number): TenantEvent => ({
  type: 'TenantNodesAllotted',
  data: { name: 't', sessionId, count, at: now },
});
const retired: TenantEvent = { type: 'TenantRetired', data: { name: 't', at: now } };
const allot = (sessionId: number, count: number): TenantCommand => ({
  type: 'AllotNodes',
  data: { sessionId, count, defaults, now },
});
const decide = (command: TenantCommand, history: TenantEvent[]) =>
  tenantDecider.decide(command, fold(tenantDecider, history));

describe('tenant decider: quota', () => {
  it.each([
    { name: 'within quota', history: [created()], count: 3, events: ['TenantNodesAllotted'] },
    {
      name: 'exactly at quota (equality allowed)',
      history: [created(), allotted(1, 2)],
      count: 3,
      events: ['TenantNodesAllotted'],
    },
    {
      name: 'returned nodes free quota',
      history: [
        created(),
        allotted(1, 5),
        {
          type: 'TenantNodesReturned',
          data: { name: 't', sessionId: 1, count: 5, at: now },
        } as TenantEvent,
      ],
      count: 5,
      events: ['TenantNodesAllotted'],
    },
    {
      name: 'own quota beats the default',
      history: [created({ nodeQuota: 8 }), allotted(1, 5)],
      count: 3,
      events: ['TenantNodesAllotted'],
    },
    {
      name: 'admins have no quota',
      history: [created({ isAdmin: true }), allotted(1, 50)],
      count: 50,
      events: ['TenantNodesAllotted'],
    },
    {
      name: 'same session again is a no-op',
      history: [created(), allotted(9, 2)],
      count: 2,
      sessionId: 9,
      events: [],
    },
  ])('allows: $name', ({ history, count, events, sessionId }) => {
    expect(decide(allot(sessionId ?? 10, count), history).map((e) => e.type)).toEqual(events);
  });

  it('refuses beyond the quota with the original text', () => {
    expect(() => decide(allot(10, 3), [created(), allotted(1, 2), allotted(2, 1)])).toThrow(
      expect.objectContaining({
        code: 'quota_exceeded',
        detail: 'quota exceeded: requested nodes (3) + current allocation (3) = 6 > 5',
      }),
    );
  });

  it.each([
    { name: 'retired tenant', history: [created(), retired], code: 'tenant_retired', count: 1 },
    { name: 'unknown tenant', history: [], code: 'not_found', count: 1 },
    { name: 'zero nodes', history: [created()], code: 'invalid_request', count: 0 },
    {
      name: 'other count for a session already allotted',
      history: [created(), allotted(10, 1)],
      code: 'invalid_request',
      count: 2,
    },
  ])('refuses: $name', ({ history, code, count }) => {
    expect(() => decide(allot(10, count), history)).toThrow(expect.objectContaining({ code }));
  });

  it('returns what the session holds, once', () => {
    const history = [created(), allotted(1, 2), allotted(2, 3)];
    const back: TenantCommand = { type: 'ReturnNodes', data: { sessionId: 1, now } };
    const events = decide(back, history);
    expect(events).toEqual([
      { type: 'TenantNodesReturned', data: { name: 't', sessionId: 1, count: 2, at: now } },
    ]);
    const state = fold(tenantDecider, [...history, ...events]);
    expect(state.allotted).toBe(3);
    expect(tenantDecider.decide(back, state)).toEqual([]);
  });

  it('effective quota falls back to the default', () => {
    expect(effectiveNodeQuota(fold(tenantDecider, [created()]), defaults)).toBe(5);
  });
});

describe('tenant decider: lifecycle', () => {
  const create: TenantCommand = {
    type: 'CreateTenant',
    data: {
      tenantId: 3,
      name: 't',
      isAdmin: false,
      sshKey: 'k',
      apiKeyHash: '$2b$04$x',
      nodeQuota: null,
      sessionLifetimeMs: null,
      sessionLifetimeMaxMs: null,
      defaults,
      now,
    },
  };
  const update = (
    data: Partial<Extract<TenantCommand, { type: 'UpdateTenant' }>['data']>,
  ): TenantCommand => ({
    type: 'UpdateTenant',
    data: { defaults, now, ...data },
  });

  it.each([
    { name: 'create', command: create, history: [], events: ['TenantCreated'] },
    {
      name: 'update limits',
      command: update({ nodeQuota: 9 }),
      history: [created()],
      events: ['TenantUpdated'],
    },
    {
      name: 'rotate key only',
      command: update({ apiKeyHash: '$2b$04$y' }),
      history: [created()],
      events: ['TenantApiKeyRotated'],
    },
    {
      name: 'update and rotate',
      command: update({ sshKey: 'k2', apiKeyHash: '$2b$04$y' }),
      history: [created()],
      events: ['TenantUpdated', 'TenantApiKeyRotated'],
    },
    {
      name: 'retire',
      command: { type: 'RetireTenant', data: { now } },
      history: [created()],
      events: ['TenantRetired'],
    },
    {
      name: 'retire twice keeps retired_at',
      command: { type: 'RetireTenant', data: { now } },
      history: [created(), retired],
      events: [],
    },
    {
      name: 'reactivate',
      command: { type: 'ReactivateTenant', data: { now } },
      history: [created(), retired],
      events: ['TenantReactivated'],
    },
    {
      name: 'reactivate an active tenant',
      command: { type: 'ReactivateTenant', data: { now } },
      history: [created()],
      events: [],
    },
  ] as { name: string; command: TenantCommand; history: TenantEvent[]; events: string[] }[])(
    '$name',
    ({ command, history, events }) => {
      expect(decide(command, history).map((e) => e.type)).toEqual(events);
    },
  );

  it.each([
    { name: 'create twice', command: create, history: [created()], code: 'already_exists' },
    {
      name: 'update a retired tenant',
      command: update({ nodeQuota: 2 }),
      history: [created(), retired],
      code: 'tenant_retired',
    },
    { name: 'update unknown', command: update({ nodeQuota: 2 }), history: [], code: 'not_found' },
    {
      name: 'quota 0',
      command: update({ nodeQuota: 0 }),
      history: [created()],
      code: 'invalid_request',
    },
    {
      name: 'lifetime above max (W-C5)',
      command: update({ sessionLifetimeMs: 13 * 3600e3 }),
      history: [created()],
      code: 'invalid_request',
    },
  ] as { name: string; command: TenantCommand; history: TenantEvent[]; code: string }[])(
    'refuses: $name',
    ({ command, history, code }) => {
      expect(() => decide(command, history)).toThrow(expect.objectContaining({ code }));
    },
  );

  it('the retired detail names the tenant like the original', () => {
    expect(() => decide(update({ nodeQuota: 2 }), [created(), retired])).toThrow(
      expect.objectContaining({ detail: 'tenant t (id=3) is retired' }),
    );
  });

  it('null limits go back to the default', () => {
    const state = fold(tenantDecider, [created({ nodeQuota: 9 })]);
    const events = tenantDecider.decide(update({ nodeQuota: null }), state);
    expect(events.reduce(tenantDecider.evolve, state).nodeQuota).toBeNull();
  });
});

describe('tenant decider: auditors', () => {
  const update = (isAuditor: boolean): TenantCommand => ({
    type: 'UpdateTenant',
    data: { isAuditor, defaults, now },
  });

  it('a tenant is no auditor unless created or updated as one (older logs: no flag)', () => {
    expect(fold(tenantDecider, [created()]).isAuditor).toBe(false);
    expect(fold(tenantDecider, [created({ isAuditor: true })]).isAuditor).toBe(true);
    const events = decide(update(true), [created()]);
    expect(events).toEqual([
      { type: 'TenantUpdated', data: { name: 't', isAuditor: true, at: now } },
    ]);
    expect(fold(tenantDecider, [created(), ...events]).isAuditor).toBe(true);
    const back = decide(update(false), [created(), ...events]);
    expect(fold(tenantDecider, [created(), ...events, ...back]).isAuditor).toBe(false);
  });
});
