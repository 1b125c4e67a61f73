import { FinishPoolFillCommand, PlanPoolFillCommand } from '@app/application';
import { nodeStream, poolStream, sessionStream, tenantStream } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ApiHarness } from '../testing/api-harness';
import type { Json } from '../testing/api-harness';
import {
  deprovision,
  exportNdjson,
  instantBetweenEvents,
  oneNodeSession,
  pageThroughEvents,
  reprovision,
  retireSession,
  reusableReadyNode,
} from '../testing/audit-scenes';

// Issue 15's authorization matrix over HTTP: every history endpoint for every kind of caller,
// and what each one sees. The scene: one reusable node N serves alice, then bob, then alice
// again; carol is a tenant that never held it; audrey an auditor.
describe('who may read which history (issue 15)', () => {
  let h: ApiHarness;
  type Tenant = { id: number; auth: [string, string] };
  let alice: Tenant;
  let bob: Tenant;
  let carol: Tenant;
  let audrey: Tenant;
  let node: { id: number; hostname: string };
  let a1: number;
  let b1: number;
  let a2: number;
  let c1: number;
  /** An instant while bob's session held N. */
  let duringBob: string;
  let log: RecordedEvent[];

  beforeAll(async () => {
    h = await ApiHarness.start('audit_access');
    alice = await h.tenant('alice');
    bob = await h.tenant('bob');
    carol = await h.tenant('carol');
    audrey = await h.tenant('audrey', { is_auditor: true });
    // N is the only node of plain-b, so every plain-b session gets it.
    node = await reusableReadyNode(h, 'plain-b', '127.3.0.1');
    await h.readyNodes('plain-a', 1);
    const serve = async (t: Tenant, last = false) => {
      const s = await oneNodeSession(h, t.auth, 'plain-b');
      if (s.nodeId !== node.id) throw new Error(`session ${s.id} got node ${s.nodeId}`);
      if (last) return s.id;
      if (t === bob) duringBob = await instantBetweenEvents();
      await retireSession(h, t.auth, s.id);
      await deprovision(h, node.id);
      await reprovision(h, node, 'plain-b', '127.3.0.1');
      await h.caughtUp();
      return s.id;
    };
    a1 = await serve(alice);
    b1 = await serve(bob);
    a2 = await serve(alice, true);
    c1 = (await oneNodeSession(h, carol.auth, 'plain-a')).id;
    // A pool stream to read: a fill planned and finished, as the provisioner records them.
    await h.bus().execute(
      new PlanPoolFillCommand('plain-b', 'run-1', 'provisioner-1', 600_000, async () => ({
        fillLevel: 3,
        ready: 1,
      })),
    );
    await h.bus().execute(new FinishPoolFillCommand('plain-b', 'run-1', 2, 0));
    await h.caughtUp();
    log = await h.store.readAll();
  }, 120_000);

  afterAll(() => h?.stop());

  const callers = () =>
    ({
      anonymous: null,
      alice: alice.auth,
      bob: bob.auth,
      carol: carol.auth,
      auditor: audrey.auth,
      admin: h.admin(),
    }) as Record<string, [string, string] | null>;

  const get = (path: string, auth: [string, string] | null, headers?: Record<string, string>) =>
    h.call('GET', path, auth ? { auth, headers } : { headers });

  /** The status each caller gets for the path. */
  async function statuses(path: string, headers?: Record<string, string>) {
    const out: Record<string, number> = {};
    for (const [name, auth] of Object.entries(callers())) {
      out[name] = (await get(path, auth, headers)).status;
    }
    return out;
  }

  const stream = (name: string) => log.filter((e) => e.stream === name);
  const positions = (entries: Json[]) => entries.map((e: Json) => e.position);
  const data = (e: RecordedEvent) => e.data as Record<string, unknown>;

  /** N's events from its reservation for the session to the end of its cleanup. */
  function spanOf(sessionId: number): RecordedEvent[] {
    const events = stream(nodeStream(node.id));
    const start = events.findIndex(
      (e) => e.type === 'NodeReserved' && data(e).sessionId === sessionId,
    );
    if (start < 0) throw new Error(`node ${node.id} was never reserved for ${sessionId}`);
    const end = events.findIndex((e, i) => i > start && e.type === 'NodeDeprovisioned');
    return events.slice(start, end < 0 ? undefined : end + 1);
  }

  /** Correlation ids of a tenant's own streams and its sessions' streams. */
  function correlationIdsOf(tenant: string, sessions: number[]): Set<string> {
    const streams = new Set([tenantStream(tenant), ...sessions.map(sessionStream)]);
    return new Set(
      log
        .filter((e) => streams.has(e.stream) && typeof e.metadata.correlationId === 'string')
        .map((e) => e.metadata.correlationId as string),
    );
  }

  /** Nothing in the answer names the other tenant, its sessions or their correlation ids. */
  function expectNothingOf(entries: Json[], other: string, sessions: number[]) {
    const text = JSON.stringify(entries);
    expect(text).not.toContain(other);
    const theirs = correlationIdsOf(other, sessions);
    for (const e of entries) {
      expect([e.position, e.actor]).not.toEqual([e.position, other]);
      expect(sessions).not.toContain(e.data.sessionId);
      expect(theirs.has(e.correlation_id)).toBe(false);
      for (const s of sessions) {
        expect(e.stream).not.toBe(sessionStream(s));
        expect(e.summary).not.toMatch(new RegExp(`session ${s}\\b`));
      }
    }
  }

  describe('the matrix of statuses', () => {
    const OWNER_ONLY = {
      anonymous: 401,
      alice: 200,
      bob: 403,
      carol: 403,
      auditor: 200,
      admin: 200,
    };
    const HOLDERS = { anonymous: 401, alice: 200, bob: 200, carol: 403, auditor: 200, admin: 200 };
    const EVERYTHING = {
      anonymous: 401,
      alice: 403,
      bob: 403,
      carol: 403,
      auditor: 200,
      admin: 200,
    };

    it("a session's history and timeline: owner, auditor, admin", async () => {
      expect(await statuses(`/sessions/${a1}/history`)).toEqual(OWNER_ONLY);
      expect(await statuses(`/sessions/${a1}/timeline`)).toEqual(OWNER_ONLY);
      expect(await statuses(`/sessions/${a2}/timeline`)).toEqual(OWNER_ONLY);
      expect(await statuses(`/sessions/${b1}/history`)).toEqual({
        ...OWNER_ONLY,
        alice: 403,
        bob: 200,
      });
    });

    it('a node by id and by hostname, its holders: the tenants that held it, auditor, admin', async () => {
      for (const ref of [String(node.id), node.hostname]) {
        expect([ref, await statuses(`/nodes/${ref}/history`)]).toEqual([ref, HOLDERS]);
        expect([ref, await statuses(`/nodes/${ref}/holders`)]).toEqual([ref, HOLDERS]);
        expect([ref, await statuses(`/nodes/${ref}/holders?at=${duringBob}`)]).toEqual([
          ref,
          HOLDERS,
        ]);
      }
    });

    it("a tenant's history by id and by name: itself, auditor, admin", async () => {
      expect(await statuses(`/tenants/${alice.id}/history`)).toEqual(OWNER_ONLY);
      expect(await statuses('/tenants/alice/history')).toEqual(OWNER_ONLY);
    });

    it("a pool's history and the whole log (JSON and ndjson): auditor and admin only", async () => {
      expect(await statuses('/pools/plain-b/history')).toEqual(EVERYTHING);
      expect(await statuses('/events')).toEqual(EVERYTHING);
      expect(await statuses('/events', { accept: 'application/x-ndjson' })).toEqual(EVERYTHING);
    });

    it('anonymous: 401 Not authenticated with the Basic challenge everywhere', async () => {
      for (const path of [
        `/sessions/${a1}/history`,
        `/sessions/${a1}/timeline`,
        `/nodes/${node.id}/history`,
        `/nodes/${node.hostname}/holders`,
        `/tenants/alice/history`,
        '/pools/plain-b/history',
        '/events',
        '/sessions/424242/history',
      ]) {
        const res = await get(path, null);
        expect([path, res.status, res.body]).toEqual([
          path,
          401,
          { detail: 'Not authenticated', code: 'not_authenticated' },
        ]);
        expect(res.headers.get('www-authenticate')).toBe('Basic realm="duffy"');
      }
    });

    it('what does not exist: 403 for tenants (as for what is not theirs), 404 for auditor and admin', async () => {
      for (const path of [
        '/sessions/424242/history',
        '/sessions/424242/timeline',
        '/nodes/99999/history',
        '/nodes/99999/holders',
        '/nodes/nobody.test/history',
        '/nodes/nobody.test/holders',
        '/tenants/99999/history',
        '/tenants/nobody/history',
        '/pools/nope/history',
      ]) {
        const got = await statuses(path);
        expect([path, got]).toEqual([
          path,
          { anonymous: 401, alice: 403, bob: 403, carol: 403, auditor: 404, admin: 404 },
        ]);
      }
      const denied = await get('/sessions/424242/history', alice.auth);
      expect(denied.body).toEqual({ detail: 'Forbidden', code: 'forbidden' });
    });
  });

  describe('what each caller sees', () => {
    it("a session's history: every event of its stream in order, the same for owner, auditor and admin", async () => {
      const expected = stream(sessionStream(a1));
      for (const auth of [alice.auth, audrey.auth, h.admin()]) {
        const res = await get(`/sessions/${a1}/history`, auth);
        expect(res.body.action).toBe('get');
        expect(positions(res.body.history)).toEqual(expected.map((e) => e.position));
        expect(res.body.history.map((e: Json) => e.type)).toEqual(expected.map((e) => e.type));
        expect(res.body.history.map((e: Json) => e.revision)).toEqual(
          expected.map((e) => e.revision),
        );
      }
      const entry = (await get(`/sessions/${a1}/history`, alice.auth)).body.history[0];
      expect(Object.keys(entry).sort()).toEqual(
        [
          'position',
          'stream',
          'revision',
          'time',
          'type',
          'actor',
          'actor_kind',
          'correlation_id',
          'summary',
          'data',
        ].sort(),
      );
      expect(entry).toMatchObject({
        stream: sessionStream(a1),
        type: 'SessionRequested',
        actor: 'alice',
        actor_kind: 'tenant',
        time: expected[0].timestamp.toISOString(),
      });
      expect(typeof entry.summary).toBe('string');
      expect(entry.summary.length).toBeGreaterThan(0);
    });

    it("alice's timeline: her session, N's span for it, her quota for it; nothing of bob", async () => {
      const expected = log.filter(
        (e) =>
          e.stream === sessionStream(a1) ||
          (e.stream === tenantStream('alice') && data(e).sessionId === a1),
      );
      const span = spanOf(a1);
      const want = [...expected, ...span].map((e) => e.position).sort((x, y) => x - y);
      for (const auth of [alice.auth, audrey.auth, h.admin()]) {
        const res = await get(`/sessions/${a1}/timeline`, auth);
        expect(res.status).toBe(200);
        expect(positions(res.body.history)).toEqual(want);
        expectNothingOf(res.body.history, 'bob', [b1]);
      }
      // Her second session's timeline starts at its own request: neither bob's span nor a1's.
      const second = await get(`/sessions/${a2}/timeline`, alice.auth);
      const mine = positions(second.body.history);
      expect(mine).toEqual(expect.arrayContaining(spanOf(a2).map((e) => e.position)));
      for (const e of [...spanOf(a1), ...spanOf(b1)]) expect(mine).not.toContain(e.position);
      expectNothingOf(second.body.history, 'bob', [b1]);
      // And bob's timeline, between alice's two sessions on the same node, holds none of hers.
      const bobs = await get(`/sessions/${b1}/timeline`, bob.auth);
      const his = positions(bobs.body.history);
      expect(his).toEqual(expect.arrayContaining(spanOf(b1).map((e) => e.position)));
      for (const e of [...spanOf(a1), ...spanOf(a2)]) expect(his).not.toContain(e.position);
      expectNothingOf(bobs.body.history, 'alice', [a1, a2]);
    });

    it("bob's node history holds only his span; alice's only hers; nothing names the other", async () => {
      for (const ref of [String(node.id), node.hostname]) {
        const bobs = await get(`/nodes/${ref}/history`, bob.auth);
        expect([ref, positions(bobs.body.history)]).toEqual([
          ref,
          spanOf(b1).map((e) => e.position),
        ]);
        expect(bobs.body.history[0]).toMatchObject({ type: 'NodeReserved' });
        expect(bobs.body.history.at(-1)).toMatchObject({ type: 'NodeDeprovisioned' });
        expectNothingOf(bobs.body.history, 'alice', [a1, a2]);

        const alices = await get(`/nodes/${ref}/history`, alice.auth);
        expect([ref, positions(alices.body.history)]).toEqual([
          ref,
          [...spanOf(a1), ...spanOf(a2)].map((e) => e.position),
        ]);
        expectNothingOf(alices.body.history, 'bob', [b1]);
      }
    });

    it("auditor and admin read the node's whole stream, by id and by hostname", async () => {
      const whole = stream(nodeStream(node.id)).map((e) => e.position);
      for (const auth of [audrey.auth, h.admin()]) {
        for (const ref of [String(node.id), node.hostname]) {
          const res = await get(`/nodes/${ref}/history`, auth);
          expect([ref, positions(res.body.history)]).toEqual([ref, whole]);
        }
      }
    });

    it('holders: each tenant its own holdings with its key; auditor and admin all three', async () => {
      const holding = (sessionId: number, tenant: string) => {
        const span = spanOf(sessionId);
        const released = span.find((e) => e.type === 'NodeDeprovisioningStarted');
        return {
          node_id: node.id,
          hostname: node.hostname,
          session_id: sessionId,
          tenant,
          ssh_key: `ssh-ed25519 ${tenant}`,
          from: span[0].timestamp.toISOString(),
          to: released ? released.timestamp.toISOString() : null,
        };
      };
      const all = [holding(a1, 'alice'), holding(b1, 'bob'), holding(a2, 'alice')];
      const holders = async (auth: [string, string], query = '') =>
        (await get(`/nodes/${node.hostname}/holders${query}`, auth)).body.holders;
      expect(await holders(h.admin())).toEqual(all);
      expect(await holders(audrey.auth)).toEqual(all);
      expect(await holders(alice.auth)).toEqual([all[0], all[2]]);
      expect(await holders(bob.auth)).toEqual([all[1]]);
      expect(JSON.stringify(await holders(bob.auth))).not.toContain('alice');
      // Who had it while bob did: bob, for him and the auditors; nothing for alice.
      const at = `?at=${duringBob}`;
      expect(await holders(h.admin(), at)).toEqual([all[1]]);
      expect(await holders(audrey.auth, at)).toEqual([all[1]]);
      expect(await holders(bob.auth, at)).toEqual([all[1]]);
      expect(await holders(alice.auth, at)).toEqual([]);
    });

    it('as_of on a node: a tenant only at instants its session held it', async () => {
      const at = encodeURIComponent(duringBob);
      const bobs = await get(`/nodes/${node.id}?as_of=${at}`, bob.auth);
      expect([bobs.status, bobs.body.node?.id, bobs.body.node?.state]).toEqual([
        200,
        node.id,
        'deployed',
      ]);
      const alices = await get(`/nodes/${node.id}?as_of=${at}`, alice.auth);
      expect([alices.status, alices.body]).toEqual([
        403,
        { detail: 'Forbidden', code: 'forbidden' },
      ]);
      expect((await get(`/nodes/${node.id}?as_of=${at}`, carol.auth)).status).toBe(403);
      expect((await get(`/nodes/${node.id}?as_of=${at}`, audrey.auth)).status).toBe(200);
      const inPool = async (auth: [string, string]) =>
        (await get(`/nodes?pool=plain-b&as_of=${at}`, auth)).body.nodes.map((n: Json) => n.id);
      expect(await inPool(bob.auth)).toEqual([node.id]);
      expect(await inPool(alice.auth)).toEqual([]);
      expect(await inPool(audrey.auth)).toEqual([node.id]);
    });

    it("a tenant's history: its own stream, by id and by name", async () => {
      const expected = stream(tenantStream('alice')).map((e) => e.position);
      for (const auth of [alice.auth, audrey.auth, h.admin()]) {
        for (const ref of [String(alice.id), 'alice']) {
          const res = await get(`/tenants/${ref}/history`, auth);
          expect([ref, res.status, positions(res.body.history)]).toEqual([ref, 200, expected]);
        }
      }
      const bobs = await get(`/tenants/${bob.id}/history`, alice.auth);
      expect(bobs.body).toEqual({ detail: 'Forbidden', code: 'forbidden' });
    });

    it("a pool's history: its fill decisions, for auditor and admin", async () => {
      const expected = stream(poolStream('plain-b'));
      expect(expected.map((e) => e.type)).toEqual(['PoolFillPlanned', 'PoolFillFinished']);
      for (const auth of [audrey.auth, h.admin()]) {
        const res = await get('/pools/plain-b/history', auth);
        expect(positions(res.body.history)).toEqual(expected.map((e) => e.position));
        expect(res.body.history[0].actor_kind).toBe('provisioner');
      }
    });

    it('the whole log, JSON pages and ndjson alike, for auditor and admin', async () => {
      const whole = log.map((e) => e.position);
      for (const auth of [audrey.auth, h.admin()]) {
        expect(positions(await pageThroughEvents(h, auth, '', 50))).toEqual(whole);
        const nd = await exportNdjson(h, auth, '');
        expect(nd.status).toBe(200);
        expect(nd.contentType).toMatch(/^application\/x-ndjson/);
        expect(positions(nd.lines)).toEqual(whole);
      }
      const denied = await get('/events', bob.auth, { accept: 'application/x-ndjson' });
      expect(denied.body).toEqual({ detail: 'Forbidden', code: 'forbidden' });
    });
  });

  describe('the auditor reads what admins read and changes nothing', () => {
    it('lists every session, node and tenant as an admin does', async () => {
      const ids = (body: Json, key: string) => body[key].map((x: Json) => x.id).sort();
      for (const [path, key] of [
        ['/sessions', 'sessions'],
        ['/nodes', 'nodes'],
        ['/tenants', 'tenants'],
      ]) {
        const admin = await get(path, h.admin());
        const auditor = await get(path, audrey.auth);
        expect([path, auditor.status]).toEqual([path, 200]);
        expect(ids(auditor.body, key)).toEqual(ids(admin.body, key));
      }
      const sessions = (await get('/sessions', audrey.auth)).body.sessions.map((s: Json) => s.id);
      expect(sessions).toEqual(expect.arrayContaining([a2, c1]));
      expect((await get(`/sessions/${c1}`, audrey.auth)).status).toBe(200);
      expect((await get(`/nodes/${node.id}`, audrey.auth)).status).toBe(200);
      expect((await get(`/tenants/${carol.id}`, audrey.auth)).status).toBe(200);
      expect((await get('/runs', audrey.auth)).status).toBe(200);
    });

    it('403 read_only for every change, and nothing changed', async () => {
      const readOnly = {
        detail: 'Auditors may read everything and change nothing',
        code: 'read_only',
      };
      const attempts: [string, string, unknown][] = [
        ['POST', '/sessions', { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] }],
        ['PUT', `/sessions/${a2}`, { active: false }],
        ['PUT', `/sessions/${a2}`, { expires_at: '+1h' }],
        ['POST', '/tenants', { name: 'mallory', ssh_key: 'ssh-ed25519 M' }],
        ['PUT', `/tenants/${alice.id}`, { node_quota: 9 }],
        ['PUT', `/tenants/${audrey.id}`, { is_auditor: false }],
        ['POST', '/nodes', { hostname: 'sneaky.test', ipaddr: '127.3.9.9' }],
      ];
      const before = await h.store.readAll();
      for (const [method, path, body] of attempts) {
        const res = await h.call(method, path, { auth: audrey.auth, body });
        expect([method, path, res.status, res.body]).toEqual([method, path, 403, readOnly]);
      }
      expect((await h.store.readAll()).length).toBe(before.length);
      const session = (await get(`/sessions/${a2}`, h.admin())).body.session;
      expect(session.active).toBe(true);
      expect((await get(`/tenants/${alice.id}`, h.admin())).body.tenant.node_quota).toBeNull();
      const names = (await get('/tenants', h.admin())).body.tenants.map((t: Json) => t.name);
      expect(names).not.toContain('mallory');
      const hosts = (await get('/nodes', h.admin())).body.nodes.map((n: Json) => n.hostname);
      expect(hosts).not.toContain('sneaky.test');
    });
  });

  describe('the is_auditor flag', () => {
    it('is set at POST /tenants by an admin and shows in GET /tenants/{id}', async () => {
      const shown = await get(`/tenants/${audrey.id}`, h.admin());
      expect(shown.body.tenant).toMatchObject({
        name: 'audrey',
        is_admin: false,
        is_auditor: true,
      });
      expect((await get(`/tenants/${audrey.id}`, audrey.auth)).body.tenant.is_auditor).toBe(true);
      expect((await get(`/tenants/${alice.id}`, alice.auth)).body.tenant.is_auditor).toBe(false);
      const created = await h.call('POST', '/tenants', {
        auth: h.admin(),
        body: { name: 'eve', ssh_key: 'ssh-ed25519 eve', is_auditor: true },
      });
      expect(created.status).toBe(201);
      expect(created.body.tenant.is_auditor).toBe(true);
      const bad = await h.call('POST', '/tenants', {
        auth: h.admin(),
        body: { name: 'frank', ssh_key: 'ssh-ed25519 frank', is_auditor: 'yes' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toMatch(/is_auditor/);
    });

    it('is granted and withdrawn by PUT /tenants/{id} (admins), taking effect at once', async () => {
      const dora = await h.tenant('dora');
      expect((await get('/events', dora.auth)).status).toBe(403);
      const grant = await h.call('PUT', `/tenants/${dora.id}`, {
        auth: h.admin(),
        body: { is_auditor: true },
      });
      expect(grant.status).toBe(200);
      expect(grant.body.tenant.is_auditor).toBe(true);
      expect((await get(`/tenants/${dora.id}`, h.admin())).body.tenant.is_auditor).toBe(true);
      expect((await get('/events?limit=1', dora.auth)).status).toBe(200);
      expect((await get(`/sessions/${a1}/history`, dora.auth)).status).toBe(200);
      const write = await h.call('POST', '/sessions', {
        auth: dora.auth,
        body: { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] },
      });
      expect([write.status, write.body.code]).toEqual([403, 'read_only']);

      const withdraw = await h.call('PUT', `/tenants/${dora.id}`, {
        auth: h.admin(),
        body: { is_auditor: false },
      });
      expect(withdraw.status).toBe(200);
      expect(withdraw.body.tenant.is_auditor).toBe(false);
      expect((await get(`/tenants/${dora.id}`, h.admin())).body.tenant.is_auditor).toBe(false);
      expect((await get('/events?limit=1', dora.auth)).status).toBe(403);
      expect((await get(`/sessions/${a1}/history`, dora.auth)).status).toBe(403);
      const bad = await h.call('PUT', `/tenants/${dora.id}`, {
        auth: h.admin(),
        body: { is_auditor: 'yes' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toMatch(/^is_auditor: /);
    });

    it('a non-admin cannot set it, on itself or anyone', async () => {
      const self = await h.call('PUT', `/tenants/${alice.id}`, {
        auth: alice.auth,
        body: { is_auditor: true },
      });
      expect([self.status, self.body]).toEqual([403, { detail: 'Forbidden', code: 'forbidden' }]);
      const other = await h.call('PUT', `/tenants/${bob.id}`, {
        auth: alice.auth,
        body: { is_auditor: true },
      });
      expect(other.status).toBe(403);
      const create = await h.call('POST', '/tenants', {
        auth: alice.auth,
        body: { name: 'alice2', ssh_key: 'ssh-ed25519 a2', is_auditor: true },
      });
      expect(create.status).toBe(403);
      const byAuditor = await h.call('PUT', `/tenants/${alice.id}`, {
        auth: audrey.auth,
        body: { is_auditor: true },
      });
      expect([byAuditor.status, byAuditor.body.code]).toEqual([403, 'read_only']);
      expect((await get(`/tenants/${alice.id}`, h.admin())).body.tenant.is_auditor).toBe(false);
      expect((await get(`/tenants/${bob.id}`, h.admin())).body.tenant.is_auditor).toBe(false);
      expect((await get('/events', alice.auth)).status).toBe(403);
      const names = (await get('/tenants', h.admin())).body.tenants.map((t: Json) => t.name);
      expect(names).not.toContain('alice2');
    });
  });
});
