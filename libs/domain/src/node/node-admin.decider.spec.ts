import { DomainErrorCode } from '../domain-error';
import { fold } from '../decider';
import { NodeCommand } from './node.commands';
import { nodeDecider } from './node.decider';
import { NodeEvent } from './node.events';
import { isReadyIn, isReusableIdle, NodeState } from './node.state';

// Issue 17: an admin's maintenance, comments, reprovision and purge-stale, in every state.

const at = '2026-01-01T00:00:00.000Z';
const later = '2026-01-01T00:30:00.000Z';
const now = '2026-01-01T01:00:00.000Z';

const registered: NodeEvent = {
  type: 'NodeRegistered',
  data: {
    nodeId: 7,
    hostname: 'n7',
    ipaddr: '127.0.0.7',
    comment: 'rack 1',
    pool: null,
    reusable: true,
    data: {},
    at,
  },
};
const provisioning: NodeEvent = {
  type: 'NodeProvisioningStarted',
  data: { nodeId: 7, pool: 'p', reusable: true, at },
};
const placeholder: NodeEvent = {
  type: 'NodeProvisioningStarted',
  data: { nodeId: 7, pool: 'p', reusable: false, at },
};
const provisioned: NodeEvent = {
  type: 'NodeProvisioningSucceeded',
  data: { nodeId: 7, hostname: 'n7', ipaddr: '127.0.0.7', provision: {}, at },
};
const reserved: NodeEvent = {
  type: 'NodeReserved',
  data: { nodeId: 7, sessionId: 1, tenant: 't', pool: 'p', at },
};
const contextualized: NodeEvent = {
  type: 'NodeContextualized',
  data: { nodeId: 7, sessionId: 1, at },
};
const deprovisioning: NodeEvent = {
  type: 'NodeDeprovisioningStarted',
  data: { nodeId: 7, sessionId: 1, reason: 'retired', at },
};
const failed: NodeEvent = {
  type: 'NodeFailed',
  data: { nodeId: 7, reason: 'boom', previous: 'ready', at },
};
const retired: NodeEvent = { type: 'NodeRetired', data: { nodeId: 7, reason: 'gone', at } };
const maintained: NodeEvent = {
  type: 'NodeMaintenanceStarted',
  data: { nodeId: 7, reason: 'disk check', at: later },
};

const HISTORIES: Record<string, NodeEvent[]> = {
  absent: [],
  unused: [registered],
  provisioning: [registered, provisioning],
  'provisioning placeholder': [placeholder],
  ready: [registered, provisioning, provisioned],
  contextualizing: [registered, provisioning, provisioned, reserved],
  deployed: [registered, provisioning, provisioned, reserved, contextualized],
  deprovisioning: [registered, provisioning, provisioned, reserved, deprovisioning],
  done: [
    placeholder,
    provisioned,
    deprovisioning,
    { type: 'NodeDeprovisioned', data: { nodeId: 7, at } },
  ],
  failed: [registered, provisioning, provisioned, failed],
  retired: [registered, retired],
};
const STATES = Object.keys(HISTORIES);

const stateOf = (events: NodeEvent[]): NodeState => fold(nodeDecider, events);

const COMMANDS: Record<string, NodeCommand> = {
  StartMaintenance: { type: 'StartMaintenance', data: { reason: 'disk check', now } },
  EndMaintenance: { type: 'EndMaintenance', data: { reason: 'back', now } },
  CommentNode: { type: 'CommentNode', data: { comment: 'fan replaced', now } },
  ReprovisionNode: { type: 'ReprovisionNode', data: { reason: 'new image', now } },
  PurgeStaleNode: { type: 'PurgeStaleNode', data: { reason: 'stale', now } },
};

type Outcome =
  | { events: string[]; status?: string; retired?: boolean }
  | { error: DomainErrorCode; detail?: string };
const ok = (events: string[], status?: string, retiredAfter?: boolean): Outcome => ({
  events,
  status,
  retired: retiredAfter,
});
const bad: Outcome = { error: 'invalid_transition' };
const missing: Outcome = { error: 'not_found', detail: 'node not found' };
const everywhere = (outcome: Outcome) =>
  Object.fromEntries(STATES.map((s) => [s, outcome])) as Record<string, Outcome>;

/** command → state (in service) → outcome. */
const TABLE: Record<string, Record<string, Outcome>> = {
  // Maintenance may start anywhere but in a retired node; the state is kept.
  StartMaintenance: {
    ...everywhere(ok(['NodeMaintenanceStarted'])),
    absent: missing,
    retired: bad,
  },
  // In service already: nothing to do, retired too.
  EndMaintenance: { ...everywhere(ok([])), absent: missing },
  CommentNode: { ...everywhere(ok(['NodeCommented'])), absent: missing },
  ReprovisionNode: {
    ...everywhere(bad),
    absent: missing,
    ready: ok(['NodeDeprovisioningStarted'], 'deprovisioning'),
    failed: ok(['NodeDeprovisioningStarted'], 'deprovisioning'),
  },
  PurgeStaleNode: {
    ...everywhere(bad),
    absent: missing,
    // A reusable machine is cleaned back to unused; a placeholder is retired.
    provisioning: ok(['NodeProvisioningFailed'], 'unused', false),
    'provisioning placeholder': ok(['NodeProvisioningFailed', 'NodeRetired'], 'failed', true),
    deprovisioning: ok(['NodeFailed', 'NodeRetired'], 'failed', true),
    failed: ok(['NodeRetired'], 'failed', true),
  },
};

function check(command: string, state: string, history: NodeEvent[], outcome: Outcome) {
  const decide = () => nodeDecider.decide(COMMANDS[command], stateOf(history));
  if ('error' in outcome) {
    expect(decide).toThrow(
      expect.objectContaining({
        code: outcome.error,
        detail: outcome.detail ?? `node 7 cannot ${command} from ${state.split(' ')[0]}`,
      }),
    );
    return;
  }
  const events = decide();
  expect(events.map((e) => e.type)).toEqual(outcome.events);
  const after = stateOf([...history, ...events]);
  if (outcome.status) expect(after.status).toBe(outcome.status);
  if (outcome.retired !== undefined) expect(after.retired).toBe(outcome.retired);
}

describe('node administration decisions', () => {
  for (const [command, row] of Object.entries(TABLE)) {
    describe(command, () => {
      for (const state of STATES) {
        it(`from ${state}`, () => check(command, state, HISTORIES[state], row[state]));
      }
    });
  }

  it('the events carry the reason, the comment and the command time', () => {
    const ready = stateOf(HISTORIES.ready);
    expect(nodeDecider.decide(COMMANDS.StartMaintenance, ready)).toEqual([
      { type: 'NodeMaintenanceStarted', data: { nodeId: 7, reason: 'disk check', at: now } },
    ]);
    expect(nodeDecider.decide(COMMANDS.CommentNode, ready)).toEqual([
      { type: 'NodeCommented', data: { nodeId: 7, comment: 'fan replaced', at: now } },
    ]);
    expect(nodeDecider.decide(COMMANDS.ReprovisionNode, ready)).toEqual([
      {
        type: 'NodeDeprovisioningStarted',
        data: { nodeId: 7, sessionId: null, reason: 'new image', at: now },
      },
    ]);
  });

  describe('in maintenance', () => {
    const held = (state: string) => [...HISTORIES[state], maintained];

    it('maintain twice changes nothing; release ends it, once', () => {
      for (const state of STATES.filter((s) => s !== 'absent' && s !== 'retired')) {
        expect(nodeDecider.decide(COMMANDS.StartMaintenance, stateOf(held(state)))).toEqual([]);
        const events = nodeDecider.decide(COMMANDS.EndMaintenance, stateOf(held(state)));
        expect(events).toEqual([
          { type: 'NodeMaintenanceEnded', data: { nodeId: 7, reason: 'back', at: now } },
        ]);
        const after = stateOf([...held(state), ...events]);
        expect(after.maintenance).toBeNull();
        expect(nodeDecider.decide(COMMANDS.EndMaintenance, after)).toEqual([]);
      }
    });

    it('the state is kept: a held node is still ready, but not ready for a pool', () => {
      const state = stateOf(held('ready'));
      expect(state).toMatchObject({ status: 'ready', pool: 'p', maintenance: 'disk check' });
      expect(isReadyIn('p')(state)).toBe(false);
      expect(isReadyIn('p')(stateOf(HISTORIES.ready))).toBe(true);
    });

    it('blocks ReserveNode, StartProvisioning and PurgeStaleNode', () => {
      const blocked: [string, NodeCommand][] = [
        ['ready', { type: 'ReserveNode', data: { sessionId: 2, tenant: 'u', pool: 'p', now } }],
        ['unused', { type: 'StartProvisioning', data: { nodeId: 7, pool: 'p', now } }],
        ['provisioning', COMMANDS.PurgeStaleNode],
        ['deprovisioning', COMMANDS.PurgeStaleNode],
        ['failed', COMMANDS.PurgeStaleNode],
      ];
      for (const [state, command] of blocked) {
        expect(() => nodeDecider.decide(command, stateOf(held(state)))).toThrow(
          expect.objectContaining({
            code: 'invalid_transition',
            detail: 'node 7 is in maintenance (disk check)',
          }),
        );
        // In service, the same command goes through.
        expect(nodeDecider.decide(command, stateOf(HISTORIES[state])).length).toBeGreaterThan(0);
      }
    });

    it('lets a session finish and an admin fail, retire, comment and reprovision', () => {
      const deployed = stateOf(held('deployed'));
      expect(
        nodeDecider.decide(
          { type: 'ReleaseNode', data: { sessionId: 1, reason: 'r', now } },
          deployed,
        ),
      ).toHaveLength(1);
      expect(
        nodeDecider.decide({ type: 'StartDeprovisioning', data: { reason: 'r', now } }, deployed),
      ).toHaveLength(1);
      const ready = stateOf(held('ready'));
      for (const command of [
        { type: 'FailNode', data: { reason: 'r', now } },
        { type: 'RetireNode', data: { reason: 'r', now } },
        COMMANDS.CommentNode,
        COMMANDS.ReprovisionNode,
      ] as NodeCommand[]) {
        expect(nodeDecider.decide(command, ready)).toHaveLength(1);
      }
    });

    it('an unused reusable machine in maintenance is not one a fill may reuse', () => {
      expect(isReusableIdle(stateOf(HISTORIES.unused))).toBe(true);
      expect(isReusableIdle(stateOf(held('unused')))).toBe(false);
      const back = stateOf([
        ...held('unused'),
        { type: 'NodeMaintenanceEnded', data: { nodeId: 7, reason: 'ok', at: now } },
      ]);
      expect(isReusableIdle(back)).toBe(true);
    });
  });

  it('a comment is kept on a retired node; an empty one is refused', () => {
    const gone = stateOf(HISTORIES.retired);
    const events = nodeDecider.decide(COMMANDS.CommentNode, gone);
    expect(stateOf([...HISTORIES.retired, ...events]).comment).toBe('fan replaced');
    expect(() =>
      nodeDecider.decide({ type: 'CommentNode', data: { comment: '  ', now } }, gone),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('the latest comment is the node`s; registration sets the first', () => {
    expect(stateOf(HISTORIES.unused).comment).toBe('rack 1');
    const commented = stateOf([
      ...HISTORIES.unused,
      { type: 'NodeCommented', data: { nodeId: 7, comment: 'first', at } },
      { type: 'NodeCommented', data: { nodeId: 7, comment: 'second', at: later } },
    ]);
    expect(commented.comment).toBe('second');
  });

  it('statusSince moves with the status only', () => {
    const t = (m: number) => `2026-01-01T00:0${m}:00.000Z`;
    const steps: NodeEvent[] = [
      { ...registered, data: { ...registered.data, at: t(1) } },
      { type: 'NodeProvisioningStarted', data: { nodeId: 7, pool: 'p', reusable: true, at: t(2) } },
      { type: 'NodeMaintenanceStarted', data: { nodeId: 7, reason: 'x', at: t(3) } },
      { type: 'NodeCommented', data: { nodeId: 7, comment: 'c', at: t(4) } },
      { type: 'NodeMaintenanceEnded', data: { nodeId: 7, reason: 'y', at: t(5) } },
      {
        type: 'NodeProvisioningSucceeded',
        data: { nodeId: 7, hostname: 'n7', ipaddr: '127.0.0.7', provision: {}, at: t(6) },
      },
      { type: 'NodeRetired', data: { nodeId: 7, reason: 'gone', at: t(7) } },
    ];
    const since = steps.map((_, i) => stateOf(steps.slice(0, i + 1)).statusSince);
    expect(since).toEqual([t(1), t(2), t(2), t(2), t(2), t(6), t(6)]);
    expect(stateOf([]).statusSince).toBeNull();
  });
});
