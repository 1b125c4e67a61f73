import { nodeStream, sessionStream, tenantStream } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ApiHarness } from '../testing/api-harness';
import type { Json } from '../testing/api-harness';
import {
  deprovision,
  instantBetweenEvents,
  oneNodeSession,
  pageThroughEvents,
  retireNode,
  retireSession,
  reusableReadyNode,
} from '../testing/audit-scenes';

/** What the api answered at one instant, to compare `?as_of=` with later. */
interface Observed {
  at: string;
  session?: Json;
  node?: Json;
  tenant?: Json;
  pool: Json;
  poolNodes: Json;
}

// Issue 15's retention: retiring a tenant, a session and a node loses none of their history,
// and the states from before the retirements can still be asked for.
describe('history outlives retirement (issue 15)', () => {
  let h: ApiHarness;
  let rita: { id: number; auth: [string, string] };
  let auditor: [string, string];
  let node: { id: number; hostname: string };
  let sessionId: number;
  let log: RecordedEvent[];
  const seen: Record<'before' | 'active' | 'sessionEnded' | 'nodeRetired' | 'all', Observed> =
    {} as never;

  beforeAll(async () => {
    h = await ApiHarness.start('audit_retention');
    auditor = (await h.tenant('audrey', { is_auditor: true })).auth;
    seen.before = await observe();
    rita = await h.tenant('rita', { node_quota: 2, session_lifetime_max: '8h' });
    node = await reusableReadyNode(h, 'plain-a', '127.3.1.1');
    const session = await oneNodeSession(h, rita.auth, 'plain-a');
    sessionId = session.id;
    if (session.nodeId !== node.id) throw new Error(`got node ${session.nodeId}`);
    // Asks for more than the tenant's maximum: clamped, one more event in the session stream.
    const extended = await h.call('PUT', `/sessions/${sessionId}`, {
      auth: rita.auth,
      body: { expires_at: '+1d' },
    });
    if (extended.status !== 200) throw new Error(`extend: ${extended.status}`);
    await h.caughtUp();
    seen.active = await observe();

    await retireSession(h, rita.auth, sessionId);
    await deprovision(h, node.id);
    await h.caughtUp();
    seen.sessionEnded = await observe();

    await retireNode(h, node.id, 'decommissioned');
    await h.caughtUp();
    seen.nodeRetired = await observe();

    const retired = await h.call('PUT', `/tenants/${rita.id}`, {
      auth: h.admin(),
      body: { active: false },
    });
    if (retired.status !== 200) throw new Error(`retire tenant: ${retired.status}`);
    await h.caughtUp();
    seen.all = await observe();
    log = await h.store.readAll();
  }, 120_000);

  afterAll(() => h?.stop());

  const get = (path: string, auth: [string, string] = h.admin()) => h.call('GET', path, { auth });

  /** Today's answers (as admin), then the instant right after them. */
  async function observe(): Promise<Observed> {
    const body = async (path: string, key: string) => {
      const res = await get(path);
      return res.status === 200 ? res.body[key] : undefined;
    };
    const observed: Omit<Observed, 'at'> = {
      session:
        sessionId === undefined ? undefined : await body(`/sessions/${sessionId}`, 'session'),
      node: node === undefined ? undefined : await body(`/nodes/${node.id}`, 'node'),
      tenant: rita === undefined ? undefined : await body(`/tenants/${rita.id}`, 'tenant'),
      pool: await body('/pools/plain-a', 'pool'),
      poolNodes: await body('/nodes?pool=plain-a', 'nodes'),
    };
    return { ...observed, at: await instantBetweenEvents() };
  }

  const stream = (name: string) => log.filter((e) => e.stream === name);

  /** The history answer holds exactly the stream's events, in order, as recorded. */
  function expectWholeStream(history: Json[], events: RecordedEvent[]) {
    expect(history.map((e: Json) => [e.position, e.revision, e.type, e.time])).toEqual(
      events.map((e) => [e.position, e.revision, e.type, e.timestamp.toISOString()]),
    );
    expect(history.map((e: Json) => e.revision)).toEqual(events.map((_, i) => i));
  }

  it('the three are retired: the current rows say so', async () => {
    expect(seen.all.session).toMatchObject({ id: sessionId, active: false });
    expect(seen.all.node).toMatchObject({ id: node.id, active: false });
    expect(seen.all.tenant).toMatchObject({ id: rita.id, active: false });
    expect((await h.call('GET', '/tenants', { auth: rita.auth })).status).toBe(403);
  });

  it("the session's full history and timeline, for admin and auditor", async () => {
    const events = stream(sessionStream(sessionId));
    expect(events.map((e) => e.type)).toEqual([
      'SessionRequested',
      'NodesAllocated',
      'SessionActivated',
      'SessionExtended',
      'SessionRetired',
    ]);
    for (const auth of [h.admin(), auditor]) {
      const history = await get(`/sessions/${sessionId}/history`, auth);
      expect(history.status).toBe(200);
      expectWholeStream(history.body.history, events);
      const timeline = await get(`/sessions/${sessionId}/timeline`, auth);
      expect(timeline.status).toBe(200);
      const positions = timeline.body.history.map((e: Json) => e.position);
      const nodeEvents = stream(nodeStream(node.id)).filter(
        (e) => e.position >= events[0].position && e.type !== 'NodeRetired',
      );
      expect(positions).toEqual(
        expect.arrayContaining([...events, ...nodeEvents].map((e) => e.position)),
      );
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
    const extended = (await get(`/sessions/${sessionId}/history`)).body.history[3];
    expect(extended.summary).toMatch(/clamped/);
  });

  it("the node's full history by id and by hostname, and who held it", async () => {
    const events = stream(nodeStream(node.id));
    expect(events.map((e) => e.type)).toEqual([
      'NodeProvisioningStarted',
      'NodeProvisioningSucceeded',
      'NodeReserved',
      'NodeContextualized',
      'NodeDeprovisioningStarted',
      'NodeDeprovisioned',
      'NodeRetired',
    ]);
    for (const auth of [h.admin(), auditor]) {
      for (const ref of [String(node.id), node.hostname]) {
        const res = await get(`/nodes/${ref}/history`, auth);
        expect([ref, res.status]).toEqual([ref, 200]);
        expectWholeStream(res.body.history, events);
      }
      const holders = await get(`/nodes/${node.id}/holders`, auth);
      expect(holders.body.holders).toEqual([
        {
          node_id: node.id,
          hostname: node.hostname,
          session_id: sessionId,
          tenant: 'rita',
          ssh_key: 'ssh-ed25519 rita',
          from: events[2].timestamp.toISOString(),
          to: events[4].timestamp.toISOString(),
        },
      ]);
    }
  });

  it("the tenant's full history by id and by name, and its events in the log", async () => {
    const events = stream(tenantStream('rita'));
    expect(events.map((e) => e.type)).toEqual([
      'TenantCreated',
      'TenantNodesAllotted',
      'TenantNodesReturned',
      'TenantRetired',
    ]);
    for (const auth of [h.admin(), auditor]) {
      for (const ref of [String(rita.id), 'rita']) {
        const res = await get(`/tenants/${ref}/history`, auth);
        expect([ref, res.status]).toEqual([ref, 200]);
        expectWholeStream(res.body.history, events);
      }
    }
    const logged = await pageThroughEvents(h, auditor, 'tenant=rita');
    expect(logged.map((e: Json) => e.position)).toEqual(
      expect.arrayContaining(
        [...events, ...stream(sessionStream(sessionId))].map((e) => e.position),
      ),
    );
  });

  describe('as_of: the states from before each retirement', () => {
    const asOf = (path: string, at: string, auth?: [string, string]) =>
      get(`${path}${path.includes('?') ? '&' : '?'}as_of=${encodeURIComponent(at)}`, auth);

    it('before any of them existed: 404 "did not exist", an empty pool', async () => {
      const at = seen.before.at;
      for (const path of [`/sessions/${sessionId}`, `/nodes/${node.id}`, `/tenants/${rita.id}`]) {
        const res = await asOf(path, at);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'not_found']);
        expect(res.body.detail).toMatch(/did not exist at/);
      }
      expect((await asOf('/nodes?pool=plain-a', at)).body.nodes).toEqual([]);
      expect((await asOf('/pools/plain-a', at)).body.pool).toEqual(seen.before.pool);
    });

    for (const moment of ['active', 'sessionEnded', 'nodeRetired', 'all'] as const) {
      it(`${moment}: the session, node, tenant and pool as the api showed them then`, async () => {
        const then = seen[moment];
        for (const auth of [h.admin(), auditor]) {
          const body = async (path: string, key: string) => {
            const res = await asOf(path, then.at, auth);
            return res.status === 200 ? res.body[key] : `${res.status} ${JSON.stringify(res.body)}`;
          };
          // One comparison of everything, so a failure shows every difference at once.
          expect({
            at: then.at,
            session: await body(`/sessions/${sessionId}`, 'session'),
            node: await body(`/nodes/${node.id}`, 'node'),
            tenant: await body(`/tenants/${rita.id}`, 'tenant'),
            pool: await body('/pools/plain-a', 'pool'),
            poolNodes: await body('/nodes?pool=plain-a', 'nodes'),
          }).toEqual(then);
        }
      });
    }

    it('before the retirements the three were active; the same instant in another offset agrees', async () => {
      const at = seen.active.at;
      const session = (await asOf(`/sessions/${sessionId}`, at)).body.session;
      expect(session).toMatchObject({ active: true, retired_at: null });
      expect(session.nodes.map((n: Json) => n.id)).toEqual([node.id]);
      expect((await asOf(`/nodes/${node.id}`, at)).body.node).toMatchObject({
        active: true,
        state: 'deployed',
      });
      expect((await asOf(`/tenants/${rita.id}`, at)).body.tenant).toMatchObject({ active: true });
      // 14:00Z is 16:00+02:00: the offset is converted, not dropped.
      const ms = Date.parse(at);
      const shifted = new Date(ms + 2 * 3600e3).toISOString().replace('Z', '+02:00');
      expect((await asOf(`/sessions/${sessionId}`, shifted)).body.session).toEqual(session);
    });
  });
});
