import { nodeStream, sessionStream, tenantStream } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { sleep, until } from '../../apps/provisioner/test/provisioner-fixture';
import { Answer, AuditWorld, Json } from '../support/audit-world';

// Issue 15's acceptance test: one session's whole life on real PostgreSQL, NATS JetStream,
// ansible-playbook and sshd, driven over REST as a tenant would, then read back as an auditor
// would — the timeline, and the state `as_of` each instant the test looked.
jest.setTimeout(120_000);

// Set DUFFY_TEST_LOG=1 to see what the provisioner does and the timeline the api answers.
const log = (m: string) => {
  if (process.env.DUFFY_TEST_LOG) process.stdout.write(`${m}\n`);
};

const POOL = 'lo-audit';
const LIFETIME_S = 8;
const LIFETIME_MAX_S = 20;
const SETTINGS = `
app: { host: 127.0.0.1, port: 8080, session-wait: 1s }
defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }
`;

/** What a GET answered, and the instant just after it was asked. */
interface Instant {
  label: string;
  at: string;
  seen: Record<string, Answer>;
}

describe('a session told by its timeline and its states as of five instants (acceptance)', () => {
  const world = new AuditWorld(log);
  let alice: { id: number; auth: [string, string] };
  let bob: { id: number; auth: [string, string] };
  let sessionId: number;
  let nodeId: number;
  let requested: Json;
  let extended: Answer;
  let expiresCap: number;
  const instants: Instant[] = [];

  const streamEvents = (stream: string) => world.nodes.store.readStream(stream);
  const has = (events: RecordedEvent[], type: string) => events.some((e) => e.type === type);

  /** The GETs a tenant and an admin would make, keyed by who asked what. */
  const reads = () => ({
    'admin /sessions': [`/sessions/${sessionId}`, world.admin()] as const,
    'admin /nodes': [`/nodes/${nodeId}`, world.admin()] as const,
    'admin /tenants': [`/tenants/${alice.id}`, world.admin()] as const,
    'alice /sessions': [`/sessions/${sessionId}`, alice.auth] as const,
    'alice /nodes': [`/nodes/${nodeId}`, alice.auth] as const,
    'alice /tenants': [`/tenants/${alice.id}`, alice.auth] as const,
  });

  /**
   * Looks once the projection has caught up, then takes the instant: a few ms after the last
   * answer and a few ms before anything may happen next, so it falls between events.
   */
  async function observe(label: string): Promise<void> {
    await world.caughtUp();
    await sleep(10);
    const seen: Record<string, Answer> = {};
    for (const [key, [path, auth]] of Object.entries(reads())) {
      seen[key] = await world.call('GET', path, [...auth]);
    }
    await sleep(10);
    const at = new Date().toISOString();
    await sleep(10);
    instants.push({ label, at, seen });
    log(`${label} @ ${at}: session ${JSON.stringify(seen['admin /sessions'].body).slice(0, 300)}`);
  }

  beforeAll(async () => {
    await world.start(
      'audit_timeline',
      `    ${POOL}: { extends: loopback, fill-level: 1 }`,
      [POOL],
      SETTINGS,
    );
    await until(
      async () =>
        (await world.call('GET', `/pools/${POOL}`, world.admin())).body.pool?.levels?.ready === 1,
      60_000,
      'a ready node in the pool',
    );
    alice = await world.tenant('alice', {
      session_lifetime: LIFETIME_S,
      session_lifetime_max: LIFETIME_MAX_S,
    });
    bob = await world.tenant('bob');

    // 1. The request, with the sagas held still so the allocated session can be looked at.
    await world.pauseSagas();
    const post = await world.call('POST', '/sessions', alice.auth, {
      nodes_specs: [{ pool: POOL, quantity: 1 }],
    });
    if (post.status !== 201)
      throw new Error(`POST /sessions: ${post.status} ${JSON.stringify(post.body)}`);
    requested = post.body.session;
    sessionId = requested.id;
    nodeId = requested.nodes[0].id;
    await observe('requested');

    // 2. The provisioner puts alice's key on the node over ssh: active.
    await world.resumeSagas();
    await until(
      async () => has(await streamEvents(sessionStream(sessionId)), 'SessionActivated'),
      30_000,
      'the session activated',
    );
    await observe('active');

    // 3. Alice asks for an hour more than her maximum allows.
    extended = await world.call('PUT', `/sessions/${sessionId}`, alice.auth, { expires_at: '+1h' });
    expiresCap = Date.parse(requested.created_at) + LIFETIME_MAX_S * 1000;
    await observe('extended');

    // 4. The expirer retires it at the cap; the sagas are held again so the retired session's
    //    node can be looked at before its cleanup.
    await world.pauseSagas();
    await until(
      async () => has(await streamEvents(sessionStream(sessionId)), 'SessionRetired'),
      LIFETIME_MAX_S * 1000 + 15_000,
      'the session expired',
    );
    await observe('expired');

    // 5. The node loses the key and goes through the deprovision playbook; throw-away: retired.
    await world.resumeSagas();
    await until(
      async () => has(await streamEvents(nodeStream(nodeId)), 'NodeRetired'),
      60_000,
      'the node retired',
    );
    // The run is recorded finished just after the node it gave back (on a stream of its own).
    await until(
      async () =>
        (await world.nodes.events()).some(
          (e) =>
            e.type === 'ProvisioningRunFinished' &&
            (e.data as { kind: string; nodeIds: number[] }).kind === 'deprovision' &&
            (e.data as { nodeIds: number[] }).nodeIds.includes(nodeId),
        ),
      30_000,
      'the deprovision run finished',
    );
    await observe('deprovisioned');
  });

  afterAll(async () => {
    if (process.env.DUFFY_TEST_LOG) {
      for (const e of await world.nodes.events().catch(() => []))
        log(
          `${e.position} ${e.timestamp.toISOString()} ${e.stream} ${e.type} ${JSON.stringify(e.data).slice(0, 160)}`,
        );
    }
    await world.stop();
  });

  it('went through the story as a tenant sees it', () => {
    // Answered while the sagas were held: allocated, the key not on the node yet.
    expect(requested).toMatchObject({
      active: true,
      nodes: [{ pool: POOL, state: 'contextualizing' }],
    });
    expect(Date.parse(requested.expires_at)).toBe(
      Date.parse(requested.created_at) + LIFETIME_S * 1000,
    );
    expect(extended.status).toBe(200);
    // Clamped: the answer's expiry is the cap, created_at + alice's maximum.
    expect(Date.parse(extended.body.session.expires_at)).toBe(expiresCap);
    const [, active, , expired, gone] = instants.map((i) => i.seen);
    expect(active['alice /sessions'].body.session.nodes[0].state).toBe('deployed');
    expect(expired['admin /sessions'].body.session).toMatchObject({ active: false });
    expect(expired['admin /nodes'].body.node).toMatchObject({ active: true, state: 'deployed' });
    expect(gone['admin /nodes'].body.node).toMatchObject({ active: false, state: 'done' });
    // Every instant saw something new: five different moments of the story.
    const states = instants.map((i) => JSON.stringify(i.seen));
    expect(new Set(states).size).toBe(5);
  });

  it('the timeline holds every step in order, with its actors', async () => {
    const res = await world.call('GET', `/sessions/${sessionId}/timeline`, world.admin());
    expect(res.status).toBe(200);
    const history: Json[] = res.body.history;
    for (const e of history)
      log(
        `${e.position} ${e.time} ${e.stream} ${e.type} ${e.actor_kind}:${e.actor} — ${e.summary}`,
      );
    expect(history.map((e) => [e.type, e.actor_kind, e.actor])).toEqual(EXPECTED_TIMELINE);
    for (let i = 1; i < history.length; i++) {
      expect(history[i].position).toBeGreaterThan(history[i - 1].position);
      expect(Date.parse(history[i].time)).toBeGreaterThanOrEqual(Date.parse(history[i - 1].time));
    }
    const only = (type: string) => history.filter((e) => e.type === type);
    expect(only('SessionExtended')[0].summary).toMatch(/clamped/);
    expect(only('SessionRetired')[0]).toMatchObject({ actor_kind: 'expiry' });
    for (const run of [...only('ProvisioningRunStarted'), ...only('ProvisioningRunFinished')]) {
      expect(run.summary).toMatch(/deprovision\.yml/);
    }
  });

  /** Every difference at once, named by instant, read and path, so a report needs one run. */
  async function asOfDifferences(caller: 'admin' | 'alice'): Promise<string[]> {
    const differ: string[] = [];
    for (const { label, at, seen } of instants) {
      for (const [key, [path, auth]] of Object.entries(reads())) {
        if (!key.startsWith(caller)) continue;
        const asOf = await world.call('GET', `${path}?as_of=${encodeURIComponent(at)}`, [...auth]);
        for (const d of differences(seen[key], asOf)) differ.push(`${label} (${at}) ${key}: ${d}`);
      }
    }
    return differ;
  }

  it('as_of each instant answers what the GETs answered then (admin)', async () => {
    expect(instants.map((i) => i.label)).toEqual([
      'requested',
      'active',
      'extended',
      'expired',
      'deprovisioned',
    ]);
    // The premise: no event of the streams read falls near an instant (else a difference could
    // be the test's, not the api's).
    const read = [sessionStream(sessionId), nodeStream(nodeId), tenantStream('alice')];
    const near = (await world.nodes.events())
      .filter((e) => read.includes(e.stream))
      .filter((e) => instants.some((i) => Math.abs(e.timestamp.getTime() - Date.parse(i.at)) < 10));
    expect(near.map((e) => `${e.position} ${e.type}`)).toEqual([]);
    expect(await asOfDifferences('admin')).toEqual([]);
  });

  // Alice's own reads, access included: between her session's retirement and the end of its
  // node's cleanup (the 'expired' instant) GET /nodes/{id} answers her 403, as_of the node.
  it('as_of each instant answers what the GETs answered then (alice, her own)', async () => {
    expect(await asOfDifferences('alice')).toEqual([]);
  });

  it('alice reads the timeline the admin reads, without run output; bob reads none of it', async () => {
    const asAdmin = (await world.call('GET', `/sessions/${sessionId}/timeline`, world.admin())).body
      .history as Json[];
    const asAlice = await world.call('GET', `/sessions/${sessionId}/timeline`, alice.auth);
    expect(asAlice.status).toBe(200);
    const runs = asAdmin.filter((e) => e.type === 'ProvisioningRunFinished');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((e) => typeof e.data.outputTail === 'string')).toBe(true);
    const withoutTails = asAdmin.map((e) =>
      e.type.startsWith('ProvisioningRun') && 'outputTail' in e.data
        ? { ...e, data: { ...e.data, outputTail: null } }
        : e,
    );
    expect(asAlice.body.history).toEqual(withoutTails);

    for (const path of [`/sessions/${sessionId}/timeline`, `/nodes/${nodeId}/history`]) {
      const res = await world.call('GET', path, bob.auth);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 403,
        code: 'forbidden',
      });
    }
  });
});

/** Pinned from a real run (DUFFY_TEST_LOG=1 prints it). */
const EXPECTED_TIMELINE: [string, string, string][] = [
  ['SessionRequested', 'tenant', 'alice'],
  ['TenantNodesAllotted', 'tenant', 'alice'],
  ['NodeReserved', 'tenant', 'alice'],
  ['NodesAllocated', 'tenant', 'alice'],
  ['NodeContextualized', 'provisioner', 'provisioner'],
  ['SessionActivated', 'provisioner', 'provisioner'],
  ['SessionExtended', 'tenant', 'alice'],
  ['SessionRetired', 'expiry', 'expiry'],
  ['TenantNodesReturned', 'expiry', 'expiry'],
  ['NodeDeprovisioningStarted', 'provisioner', 'provisioner'],
  ['ProvisioningRunStarted', 'provisioner', 'provisioner'],
  ['NodeDeprovisioned', 'provisioner', 'provisioner'],
  // A throw-away node is decommissioned as the last step of its cleanup; the run is recorded
  // finished after the node it gave back.
  ['NodeRetired', 'provisioner', 'provisioner'],
  ['ProvisioningRunFinished', 'provisioner', 'provisioner'],
];

/** Where `got` differs from `want`: `path: want → got`, one line each. */
function differences(want: unknown, got: unknown, path = ''): string[] {
  if (isObject(want) && isObject(got)) {
    const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])];
    return keys.flatMap((k) => differences(want[k], got[k], `${path}.${k}`));
  }
  if (Array.isArray(want) && Array.isArray(got) && want.length === got.length) {
    return want.flatMap((w, i) => differences(w, got[i], `${path}[${i}]`));
  }
  return JSON.stringify(want) === JSON.stringify(got)
    ? []
    : [`${path || '.'}: ${JSON.stringify(want)} → ${JSON.stringify(got)}`];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
