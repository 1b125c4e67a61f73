import { DomainErrorCode } from '../domain-error';
import { fold } from '../decider';
import { NodeCommand } from './node.commands';
import { nodeDecider } from './node.decider';
import { NodeEvent } from './node.events';

const at = '2026-01-01T00:00:00.000Z';
const now = '2026-01-01T01:00:00.000Z';
/** Node 7 as registered: the RegisterNode command's data and the NodeRegistered event's. */
const node7 = {
  nodeId: 7,
  hostname: 'n7',
  ipaddr: '127.0.0.7',
  comment: null,
  pool: null,
  reusable: true,
  data: {},
};
const registered: NodeEvent = { type: 'NodeRegistered', data: { ...node7, at } };
const provisioning: NodeEvent = {
  type: 'NodeProvisioningStarted',
  data: { nodeId: 7, pool: 'p', reusable: true, at },
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

/** Event histories that put node 7 in each state. */
const HISTORIES: Record<string, NodeEvent[]> = {
  absent: [],
  unused: [registered],
  provisioning: [registered, provisioning],
  ready: [registered, provisioning, provisioned],
  contextualizing: [registered, provisioning, provisioned, reserved],
  deployed: [registered, provisioning, provisioned, reserved, contextualized],
  deprovisioning: [registered, provisioning, provisioned, reserved, deprovisioning],
  done: [
    { ...provisioning, data: { ...provisioning.data, reusable: false } },
    provisioned,
    deprovisioning,
    { type: 'NodeDeprovisioned', data: { nodeId: 7, at } },
  ],
  failed: [registered, provisioning, provisioned, failed],
  retired: [registered, { type: 'NodeRetired', data: { nodeId: 7, reason: 'gone', at } }],
};

const COMMANDS: Record<string, NodeCommand> = {
  RegisterNode: { type: 'RegisterNode', data: { ...node7, now } },
  StartProvisioning: { type: 'StartProvisioning', data: { nodeId: 7, pool: 'p', now } },
  CompleteProvisioning: {
    type: 'CompleteProvisioning',
    data: { hostname: 'n7', ipaddr: '127.0.0.7', provision: { id: 1 }, now },
  },
  FailProvisioning: { type: 'FailProvisioning', data: { reason: 'playbook failed', now } },
  ReserveNode: { type: 'ReserveNode', data: { sessionId: 1, tenant: 't', pool: 'p', now } },
  MarkContextualized: { type: 'MarkContextualized', data: { sessionId: 1, now } },
  ReleaseNode: { type: 'ReleaseNode', data: { sessionId: 1, reason: 'compensation', now } },
  StartDeprovisioning: { type: 'StartDeprovisioning', data: { reason: 'session retired', now } },
  CompleteDeprovisioning: { type: 'CompleteDeprovisioning', data: { now } },
  FailNode: { type: 'FailNode', data: { reason: 'stuck', now } },
  RetireNode: { type: 'RetireNode', data: { reason: 'decommissioned', now } },
};

/** The same commands by session 2, on a node that session 1 holds. */
const BY_OTHER_SESSION: Record<string, NodeCommand> = {
  ReserveNode: { type: 'ReserveNode', data: { sessionId: 2, tenant: 'u', pool: 'p', now } },
  MarkContextualized: { type: 'MarkContextualized', data: { sessionId: 2, now } },
  ReleaseNode: { type: 'ReleaseNode', data: { sessionId: 2, reason: 'compensation', now } },
};

/**
 * A refusal is checked by its code and its detail: the detail names why (the state it came
 * from, the holder), so a command let through one check and refused by a later one — e.g. a
 * reservation from `unused` refused only because the node is in no pool — fails the table.
 */
type Outcome = { events: string[]; status?: string } | { error: DomainErrorCode; detail?: string };
const bad: Outcome = { error: 'invalid_transition' };
const missing: Outcome = { error: 'not_found', detail: 'node not found' };
const exists: Outcome = { error: 'already_exists', detail: 'node 7 already exists' };
const heldByOne: Outcome = {
  error: 'not_owner',
  detail: 'node 7 is reserved for session 1, not 2',
};
const ok = (events: string[], status?: string): Outcome => ({ events, status });

/** The detail of a refusal; `bad` cells say which command from which state. */
const detailOf = (command: string, state: string, outcome: { detail?: string }) =>
  outcome.detail ?? `node 7 cannot ${command} from ${state}`;

/** command → state → outcome; every cell of the state machine is listed. */
const TABLE: Record<string, Record<string, Outcome>> = {
  RegisterNode: {
    absent: ok(['NodeRegistered'], 'unused'),
    unused: exists,
    ready: exists,
    retired: exists,
  },
  StartProvisioning: {
    absent: ok(['NodeProvisioningStarted'], 'provisioning'),
    unused: ok(['NodeProvisioningStarted'], 'provisioning'),
    provisioning: bad,
    ready: bad,
    contextualizing: bad,
    deployed: bad,
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  CompleteProvisioning: {
    absent: missing,
    unused: bad,
    provisioning: ok(['NodeProvisioningSucceeded'], 'ready'),
    ready: bad,
    contextualizing: bad,
    deployed: bad,
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  FailProvisioning: {
    absent: missing,
    unused: bad,
    provisioning: ok(['NodeProvisioningFailed'], 'unused'),
    ready: bad,
    contextualizing: bad,
    deployed: bad,
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  ReserveNode: {
    absent: missing,
    unused: bad,
    provisioning: bad,
    ready: ok(['NodeReserved'], 'contextualizing'),
    contextualizing: ok([], 'contextualizing'), // same session again: idempotent
    deployed: ok([], 'deployed'),
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  MarkContextualized: {
    absent: missing,
    unused: bad,
    provisioning: bad,
    ready: bad,
    contextualizing: ok(['NodeContextualized'], 'deployed'),
    deployed: ok([], 'deployed'),
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  ReleaseNode: {
    absent: missing,
    unused: bad,
    provisioning: bad,
    ready: bad,
    contextualizing: ok(['NodeReleased'], 'ready'),
    deployed: ok(['NodeReleased'], 'ready'),
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  StartDeprovisioning: {
    absent: missing,
    unused: bad,
    provisioning: bad,
    ready: ok(['NodeDeprovisioningStarted'], 'deprovisioning'),
    contextualizing: ok(['NodeDeprovisioningStarted'], 'deprovisioning'),
    deployed: ok(['NodeDeprovisioningStarted'], 'deprovisioning'),
    deprovisioning: bad,
    done: bad,
    failed: bad,
    retired: bad,
  },
  CompleteDeprovisioning: {
    absent: missing,
    unused: bad,
    provisioning: bad,
    ready: bad,
    contextualizing: bad,
    deployed: bad,
    deprovisioning: ok(['NodeDeprovisioned'], 'unused'), // reusable
    done: bad,
    failed: bad,
    retired: bad,
  },
  FailNode: {
    absent: missing,
    unused: ok(['NodeFailed'], 'failed'),
    provisioning: ok(['NodeFailed'], 'failed'),
    ready: ok(['NodeFailed'], 'failed'),
    contextualizing: ok(['NodeFailed'], 'failed'),
    deployed: ok(['NodeFailed'], 'failed'),
    deprovisioning: ok(['NodeFailed'], 'failed'),
    done: bad,
    failed: bad,
    retired: bad,
  },
  RetireNode: {
    absent: missing,
    unused: ok(['NodeRetired'], 'unused'),
    provisioning: bad,
    ready: ok(['NodeRetired'], 'ready'),
    contextualizing: bad,
    deployed: bad,
    deprovisioning: bad,
    done: ok(['NodeRetired'], 'done'),
    failed: ok(['NodeRetired'], 'failed'),
    retired: bad,
  },
};

/** Session 2's commands on a node reserved for session 1 (or once reserved, then let go). */
const OTHER_SESSION_TABLE: Record<string, Record<string, Outcome>> = {
  ReserveNode: {
    contextualizing: bad,
    deployed: bad,
    deprovisioning: bad,
  },
  MarkContextualized: {
    contextualizing: heldByOne,
    deployed: heldByOne,
    deprovisioning: bad,
  },
  ReleaseNode: {
    contextualizing: heldByOne,
    deployed: heldByOne,
    deprovisioning: bad,
  },
};

const cellsOf = (table: Record<string, Record<string, Outcome>>, by: string) =>
  Object.entries(table).flatMap(([command, row]) =>
    Object.entries(row).map(([state, outcome]) => ({ command, state, outcome, by })),
  );
const cases = [...cellsOf(TABLE, 'session 1'), ...cellsOf(OTHER_SESSION_TABLE, 'session 2')];

describe('node decider: every transition', () => {
  it.each(cases)('$command by $by from $state', ({ command, state, outcome, by }) => {
    const before = fold(nodeDecider, HISTORIES[state]);
    const commands = by === 'session 1' ? COMMANDS : BY_OTHER_SESSION;
    const run = () => nodeDecider.decide(commands[command], before);
    if ('error' in outcome) {
      expect(run).toThrow(
        expect.objectContaining({
          code: outcome.error,
          detail: detailOf(command, state, outcome),
        }),
      );
      return;
    }
    const events = run();
    expect(events.map((e) => e.type)).toEqual(outcome.events);
    const after = events.reduce(nodeDecider.evolve, before);
    expect(after.status).toBe(outcome.status);
  });

  it('covers every command and every state except for register', () => {
    for (const command of Object.keys(COMMANDS)) {
      const expected = command === 'RegisterNode' ? 4 : Object.keys(HISTORIES).length;
      expect(Object.keys(TABLE[command])).toHaveLength(expected);
    }
  });
});

describe('node decider: details', () => {
  const state = (name: string) => fold(nodeDecider, HISTORIES[name]);

  it('refuses a reservation for a pool the node is not in', () => {
    const cmd: NodeCommand = {
      type: 'ReserveNode',
      data: { sessionId: 1, tenant: 't', pool: 'q', now },
    };
    expect(() => nodeDecider.decide(cmd, state('ready'))).toThrow(
      expect.objectContaining({ code: 'invalid_transition', detail: "node 7 is not in pool 'q'" }),
    );
  });

  it('a non-reusable node is done and retired after deprovisioning', () => {
    const before = fold(nodeDecider, [
      { ...provisioning, data: { ...provisioning.data, reusable: false } },
      provisioned,
      deprovisioning,
    ]);
    const events = nodeDecider.decide(COMMANDS.CompleteDeprovisioning, before);
    expect(events.map((e) => e.type)).toEqual(['NodeDeprovisioned', 'NodeRetired']);
    const after = events.reduce(nodeDecider.evolve, before);
    expect(after).toMatchObject({ status: 'done', retired: true });
  });

  it('a failed placeholder provisioning ends failed with the reason', () => {
    const before = fold(nodeDecider, [
      { ...provisioning, data: { ...provisioning.data, reusable: false } },
    ]);
    const after = nodeDecider
      .decide(COMMANDS.FailProvisioning, before)
      .reduce(nodeDecider.evolve, before);
    expect(after).toMatchObject({ status: 'failed', failure: 'playbook failed' });
  });

  it('a provisioned node needs an address', () => {
    const cmd: NodeCommand = {
      type: 'CompleteProvisioning',
      data: { hostname: '', ipaddr: '', provision: {}, now },
    };
    expect(() => nodeDecider.decide(cmd, state('provisioning'))).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('deprovisioning takes the node out of its pool and its session', () => {
    const after = nodeDecider
      .decide(COMMANDS.StartDeprovisioning, state('deployed'))
      .reduce(nodeDecider.evolve, state('deployed'));
    expect(after).toMatchObject({ pool: null, sessionId: null });
  });
});
