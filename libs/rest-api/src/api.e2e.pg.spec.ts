import { ActivateSessionCommand, ChangeNodeCommand } from '@app/application';
import { ApiHarness } from './testing/api-harness';
import type { Json } from './testing/api-harness';

// Every row of compat §1.3 (authorization) and §1.5 (endpoints), over HTTP, against the api and
// a projector on a real PostgreSQL. Deliberate deviations (docs/compat.md) are marked.
describe('REST API v1 end to end', () => {
  let h: ApiHarness;
  let alice: { id: number; auth: [string, string] };
  let bob: { id: number; auth: [string, string] };

  beforeAll(async () => {
    h = await ApiHarness.start('api_e2e');
    alice = await h.tenant('alice');
    bob = await h.tenant('bob', { node_quota: 2 });
    await h.readyNodes('plain-a', 6);
    await h.readyNodes('plain-b', 2);
  }, 60_000);

  afterAll(() => h?.stop());

  const session = async (auth: [string, string], specs: unknown[], extra = {}) =>
    h.call('POST', '/sessions', { auth, body: { nodes_specs: specs, ...extra } });

  describe('authentication (§1.2)', () => {
    it('401 Not authenticated with a challenge when there is no Basic header', async () => {
      for (const headers of [{}, { authorization: 'Bearer x' }] as Record<string, string>[]) {
        const res = await h.call('GET', '/tenants', { headers });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ detail: 'Not authenticated', code: 'not_authenticated' });
        expect(res.headers.get('www-authenticate')).toBe('Basic realm="duffy"');
      }
    });

    it('401 Invalid authentication credentials for an undecodable Basic header', async () => {
      const res = await h.call('GET', '/tenants', { headers: { authorization: 'Basic !!!' } });
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('Invalid authentication credentials');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="duffy"');
    });

    it('401 Unauthorized, without challenge, for unknown names and wrong keys alike', async () => {
      for (const auth of [
        ['nobody', alice.auth[1]],
        ['alice', 'wrong'],
      ] as [string, string][]) {
        const res = await h.call('GET', '/tenants', { auth });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ detail: 'Unauthorized', code: 'unauthorized' });
        expect(res.headers.get('www-authenticate')).toBeNull();
      }
    });

    it('403 Forbidden for a retired tenant with the right key; a rotated key stops working', async () => {
      const carol = await h.tenant('carol');
      expect((await h.call('GET', '/tenants', { auth: carol.auth })).status).toBe(200);
      const reset = await h.call('PUT', `/tenants/${carol.id}`, {
        auth: h.admin(),
        body: { api_key: 'reset' },
      });
      expect(reset.status).toBe(200);
      expect(reset.body.tenant.api_key).toMatch(/^[0-9a-f-]{36}$/);
      expect((await h.call('GET', '/tenants', { auth: carol.auth })).status).toBe(401);
      const fresh: [string, string] = ['carol', reset.body.tenant.api_key];
      expect((await h.call('GET', '/tenants', { auth: fresh })).status).toBe(200);
      const retire = await h.call('PUT', `/tenants/${carol.id}`, {
        auth: h.admin(),
        body: { active: false },
      });
      expect(retire.status).toBe(200);
      const res = await h.call('GET', '/tenants', { auth: fresh });
      expect(res.status).toBe(403);
      expect(res.body.detail).toBe('Forbidden');
    });
  });

  describe('sessions (§1.5 S1-S4, §1.6, §1.7)', () => {
    let aliceSession: number;

    it('POST: 201 with every node deployed, expiry = created + lifetime', async () => {
      const res = await session(alice.auth, [{ pool: 'plain-a', quantity: 2, extra: 'ignored' }]);
      expect(res.status).toBe(201);
      const s = res.body.session;
      expect(res.body.action).toBe('post');
      expect(s).toMatchObject({
        active: true,
        retired_at: null,
        tenant: { id: alice.id, name: 'alice', ssh_key: '**********' },
        data: { nodes_specs: [{ quantity: 2, pool: 'plain-a' }] },
      });
      expect(s.nodes).toHaveLength(2);
      for (const n of s.nodes) {
        expect(n).toMatchObject({ state: 'deployed', pool: 'plain-a', comment: null });
        expect(n.data.nodes_spec).toEqual({ quantity: 2, pool: 'plain-a' });
      }
      expect(Date.parse(s.expires_at) - Date.parse(s.created_at)).toBe(6 * 3600e3);
      aliceSession = s.id;
    });

    it('POST: tenant_id own id is fine; another tenant is 403 for a non-admin', async () => {
      const own = await session(bob.auth, [{ pool: 'plain-b', quantity: 1 }], {
        tenant_id: bob.id,
      });
      expect(own.status).toBe(201);
      const other = await session(bob.auth, [{ pool: 'plain-b', quantity: 1 }], {
        tenant_id: alice.id,
      });
      expect(other.status).toBe(403);
      expect(other.body.detail).toBe("can't create session for other tenant");
    });

    it('POST: quota of the target tenant (403 quota exceeded)', async () => {
      const res = await session(bob.auth, [{ pool: 'plain-a', quantity: 2 }]);
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(
        /^quota exceeded: requested nodes \(2\) \+ current allocation \(1\) = 3 > 2$/,
      );
      expect(res.body.code).toBe('quota_exceeded');
    });

    it('POST: admin for another tenant, for a missing one (422), for a retired one (422)', async () => {
      const forBob = await session(h.admin(), [{ pool: 'plain-b', quantity: 1 }], {
        tenant_id: bob.id,
      });
      expect(forBob.status).toBe(201);
      expect(forBob.body.session.tenant.name).toBe('bob');
      const missing = await session(h.admin(), [{ pool: 'plain-b', quantity: 1 }], {
        tenant_id: 9999,
      });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toBe("can't find tenant with id 9999");
      const dave = await h.tenant('dave');
      await h.call('PUT', `/tenants/${dave.id}`, { auth: h.admin(), body: { active: false } });
      const retired = await session(h.admin(), [{ pool: 'plain-b', quantity: 1 }], {
        tenant_id: dave.id,
      });
      expect(retired.status).toBe(422);
      expect(retired.body.detail).toBe("tenant 'dave' isn't active");
    });

    it("POST: 422 can't reserve nodes, unknown pools and empty specs (W-C12), field paths", async () => {
      const short = await session(h.admin(), [{ pool: 'plain-b', quantity: 5 }]);
      expect(short.status).toBe(422);
      expect(short.body.detail).toBe("can't reserve nodes: quantity=5 pool='plain-b'");
      const unknown = await session(alice.auth, [{ pool: 'nope', quantity: 1 }]);
      expect(unknown.status).toBe(422);
      expect(unknown.body.code).toBe('unknown_pool');
      const empty = await session(alice.auth, []);
      expect(empty.status).toBe(422);
      const bad = await session(alice.auth, [{ pool: 'plain-a', quantity: 0 }]);
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toMatch(/^nodes_specs\.0\.quantity: /);
      const missing = await h.call('POST', '/sessions', { auth: alice.auth, body: {} });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toMatch(/nodes_specs/);
    });

    it('POST: the same Idempotency-Key gives the same session', async () => {
      const headers = { 'idempotency-key': 'job-42' };
      const body = { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] };
      const a = await h.call('POST', '/sessions', { auth: alice.auth, body, headers });
      const b = await h.call('POST', '/sessions', { auth: alice.auth, body, headers });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body.session.id).toBe(a.body.session.id);
    });

    it('POST: waits for the provisioner to activate a contextualized pool', async () => {
      await h.readyNodes('ctx', 1);
      const pending = session(h.admin(), [{ pool: 'ctx', quantity: 1 }]);
      // Plays the provisioner: contextualizes and activates once the session is allocated.
      const provisioner = (async () => {
        for (let i = 0; i < 100; i++) {
          const rows = await h.readModels.query(
            `SELECT s.id, sn.node_id FROM sessions s JOIN sessions_nodes sn ON sn.session_id = s.id
              WHERE s.status = 'allocated'`,
          );
          if (rows.length > 0) {
            const sessionId = rows[0].id;
            await h
              .bus()
              .execute(
                new ChangeNodeCommand(
                  rows[0].node_id,
                  (_, now) => ({ type: 'MarkContextualized', data: { sessionId, now } }),
                  'test',
                ),
              );
            await h.bus().execute(new ActivateSessionCommand(rows[0].id));
            return;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const res = await pending;
      await provisioner;
      expect(res.status).toBe(201);
      expect(res.body.session.nodes[0].state).toBe('deployed');
    });

    it('GET list: a tenant sees its own active sessions, an admin all; anonymous 401 (W-S1)', async () => {
      const mine = await h.call('GET', '/sessions', { auth: alice.auth });
      expect(mine.status).toBe(200);
      expect(mine.body.sessions.length).toBeGreaterThan(0);
      expect(mine.body.sessions.every((s: Json) => s.tenant.id === alice.id)).toBe(true);
      const all = await h.call('GET', '/sessions', { auth: h.admin() });
      const owners = new Set(all.body.sessions.map((s: Json) => s.tenant.name));
      expect(owners).toEqual(new Set(['alice', 'bob', 'admin']));
      expect((await h.call('GET', '/sessions')).status).toBe(401);
    });

    it('GET one: own 200, other 403, unknown 403 for tenants (W-S3), 404 for admins, 422 non-int', async () => {
      expect((await h.call('GET', `/sessions/${aliceSession}`, { auth: alice.auth })).status).toBe(
        200,
      );
      expect((await h.call('GET', `/sessions/${aliceSession}`, { auth: bob.auth })).status).toBe(
        403,
      );
      expect((await h.call('GET', '/sessions/424242', { auth: bob.auth })).status).toBe(403);
      expect((await h.call('GET', `/sessions/${aliceSession}`, { auth: h.admin() })).status).toBe(
        200,
      );
      const unknown = await h.call('GET', '/sessions/424242', { auth: h.admin() });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toBe('Not Found');
      expect((await h.call('GET', '/sessions/abc', { auth: h.admin() })).status).toBe(422);
      expect(
        (await h.call('GET', '/sessions/99999999999999999999', { auth: h.admin() })).status,
      ).toBe(404);
      expect((await h.call('GET', `/sessions/${aliceSession}`)).status).toBe(401);
    });

    it('PUT: extend by a delta, capped by the lifetime max for non-admins (W-C5)', async () => {
      const res = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { expires_at: '+1d' },
      });
      expect(res.status).toBe(200);
      expect(res.body.action).toBe('put');
      const s = res.body.session;
      expect(Date.parse(s.expires_at) - Date.parse(s.created_at)).toBe(12 * 3600e3);
      const admin = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: h.admin(),
        body: { expires_at: '+1d' },
      });
      expect(Date.parse(admin.body.session.expires_at) - Date.parse(s.created_at)).toBe(
        36 * 3600e3,
      );
    });

    it('PUT: an offset in an absolute expiry is converted (W-C4); numbers are 422 (W-C27)', async () => {
      const created = Date.parse(
        (await h.call('GET', `/sessions/${aliceSession}`, { auth: alice.auth })).body.session
          .created_at,
      );
      const target = new Date(created + 3600e3);
      const local = new Date(target.getTime() + 2 * 3600e3).toISOString().replace('Z', '+02:00');
      const res = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { expires_at: local },
      });
      expect(res.status).toBe(200);
      expect(Date.parse(res.body.session.expires_at)).toBe(target.getTime());
      const num = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { expires_at: 3600 },
      });
      expect(num.status).toBe(422);
      expect(num.body.detail).toMatch(/^expires_at: /);
      const delta = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { expires_at: '1h' },
      });
      expect(delta.status).toBe(422);
    });

    it('PUT: other tenant 403, unknown id 404 for admins even with expires_at (W-C3), anonymous 401', async () => {
      const other = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: bob.auth,
        body: { active: false },
      });
      expect(other.status).toBe(403);
      const unknown = await h.call('PUT', '/sessions/424242', {
        auth: h.admin(),
        body: { expires_at: '+1h' },
      });
      expect(unknown.status).toBe(404);
      expect(
        (await h.call('PUT', `/sessions/${aliceSession}`, { body: { active: false } })).status,
      ).toBe(401);
    });

    it('PUT: active true is a no-op; active false retires; a retired session is 422', async () => {
      const noop = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { active: true },
      });
      expect(noop.status).toBe(200);
      expect(noop.body.session.active).toBe(true);
      const retire = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { active: false, expires_at: null },
      });
      expect(retire.status).toBe(200);
      expect(retire.body.session.active).toBe(false);
      expect(retire.body.session.retired_at).toMatch(/Z$/);
      // W-C25: nodes as allocated, no state once retired
      expect(retire.body.session.nodes[0]).toMatchObject({ pool: 'plain-a', state: null });
      const again = await h.call('PUT', `/sessions/${aliceSession}`, {
        auth: alice.auth,
        body: { active: false },
      });
      expect(again.status).toBe(422);
      expect(again.body.detail).toBe(`session ${aliceSession} is retired`);
      const list = await h.call('GET', '/sessions', { auth: alice.auth });
      expect(list.body.sessions.map((s: Json) => s.id)).not.toContain(aliceSession);
      const shown = await h.call('GET', `/sessions/${aliceSession}`, { auth: alice.auth });
      expect(shown.body.session.active).toBe(false);
    });
  });

  describe('pools (§1.5 P1-P2)', () => {
    it('lists concrete filled pools without auth', async () => {
      const res = await h.call('GET', '/pools');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        action: 'get',
        pools: [
          { name: 'plain-a', 'fill-level': 3 },
          { name: 'plain-b', 'fill-level': 3 },
          { name: 'ctx', 'fill-level': 1 },
        ],
      });
    });

    it('shows a pool with its levels; 404 unknown or abstract (W-C24); 422 without fill-level', async () => {
      const res = await h.call('GET', '/pools/plain-b');
      expect(res.status).toBe(200);
      expect(res.body.pool).toEqual({
        name: 'plain-b',
        'fill-level': 3,
        levels: expect.objectContaining({ provisioning: 0, contextualizing: 0, deprovisioning: 0 }),
      });
      const { ready, deployed } = res.body.pool.levels;
      expect(ready + deployed).toBe(2);
      expect((await h.call('GET', '/pools/nope')).status).toBe(404);
      expect((await h.call('GET', '/pools/template')).status).toBe(404);
      const unfilled = await h.call('GET', '/pools/unfilled');
      expect(unfilled.status).toBe(422);
      expect(unfilled.body.detail).toBe('Unprocessable Entity');
    });
  });

  describe('nodes (§1.5 N1-N3)', () => {
    it('POST: admins only, 201 unused and reusable by default, 409 on an active address', async () => {
      const body = {
        hostname: 'extra1.test',
        ipaddr: '127.0.9.1',
        data: { architecture: 'x86_64' },
      };
      expect((await h.call('POST', '/nodes', { body })).status).toBe(401);
      expect((await h.call('POST', '/nodes', { auth: alice.auth, body })).status).toBe(403);
      const res = await h.call('POST', '/nodes', { auth: h.admin(), body });
      expect(res.status).toBe(201);
      expect(res.body.node).toMatchObject({
        hostname: 'extra1.test',
        ipaddr: '127.0.9.1',
        state: 'unused',
        reusable: true,
        pool: null,
        comment: null,
        data: { architecture: 'x86_64' },
        active: true,
      });
      const dup = await h.call('POST', '/nodes', { auth: h.admin(), body });
      expect(dup.status).toBe(409);
      const badIp = await h.call('POST', '/nodes', {
        auth: h.admin(),
        body: { hostname: 'x', ipaddr: 'not-an-ip' },
      });
      expect(badIp.status).toBe(422);
      expect(badIp.body.detail).toMatch(/^ipaddr: /);
    });

    it('GET: credentials required (W-S2); a tenant sees the nodes of its sessions, an admin all', async () => {
      expect((await h.call('GET', '/nodes')).status).toBe(401);
      const all = await h.call('GET', '/nodes', { auth: h.admin() });
      expect(all.status).toBe(200);
      expect(all.body.nodes.length).toBeGreaterThan(8);
      const bobs = await h.call('GET', '/nodes', { auth: bob.auth });
      const sessions = await h.call('GET', '/sessions', { auth: bob.auth });
      const held = sessions.body.sessions.flatMap((s: Json) => s.nodes.map((n: Json) => n.id));
      expect(bobs.body.nodes.map((n: Json) => n.id).sort()).toEqual(held.sort());
      const heldId = held[0];
      expect((await h.call('GET', `/nodes/${heldId}`, { auth: bob.auth })).status).toBe(200);
      expect((await h.call('GET', `/nodes/${heldId}`, { auth: alice.auth })).status).toBe(403);
      expect((await h.call('GET', `/nodes/${heldId}`, { auth: h.admin() })).body.node.id).toBe(
        heldId,
      );
      expect((await h.call('GET', '/nodes/77777', { auth: h.admin() })).status).toBe(404);
      expect((await h.call('GET', `/nodes/${heldId}`)).status).toBe(401);
    });
  });

  describe('tenants (§1.5 T1-T4)', () => {
    it('POST: admins only; plain ssh key and api key once; lifetimes as deltas; 409 duplicate', async () => {
      const body = {
        name: 'erin',
        ssh_key: 'ssh-ed25519 E',
        session_lifetime: '1h',
        node_quota: 3,
      };
      expect((await h.call('POST', '/tenants', { body })).status).toBe(401);
      expect((await h.call('POST', '/tenants', { auth: alice.auth, body })).status).toBe(403);
      const res = await h.call('POST', '/tenants', { auth: h.admin(), body });
      expect(res.status).toBe(201);
      expect(res.body.tenant).toMatchObject({
        name: 'erin',
        ssh_key: 'ssh-ed25519 E',
        is_admin: false,
        node_quota: 3,
        effective_node_quota: 3,
        session_lifetime: 3600,
        effective_session_lifetime: 3600,
        session_lifetime_max: null,
        effective_session_lifetime_max: 43200,
        active: true,
        retired_at: null,
      });
      expect(res.body.tenant.api_key).toMatch(/^[0-9a-f-]{36}$/);
      // read-your-writes: the new key works at once
      const auth: [string, string] = ['erin', res.body.tenant.api_key];
      expect((await h.call('GET', '/tenants', { auth })).status).toBe(200);
      const dup = await h.call('POST', '/tenants', { auth: h.admin(), body });
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toMatch(/already exists/);
      const badDelta = await h.call('POST', '/tenants', {
        auth: h.admin(),
        body: { name: 'x', ssh_key: 'k', session_lifetime: 'soon' },
      });
      expect(badDelta.status).toBe(422);
      expect(badDelta.body.detail).toMatch(/^session_lifetime: /);
      const tooLong = await h.call('POST', '/tenants', {
        auth: h.admin(),
        body: { name: 'y', ssh_key: 'k', session_lifetime: '2d', session_lifetime_max: '1d' },
      });
      expect(tooLong.status).toBe(422); // W-C5: lifetime > max refused
    });

    it('GET list: a tenant gets only itself, an admin everyone incl. retired', async () => {
      const mine = await h.call('GET', '/tenants', { auth: alice.auth });
      expect(mine.body.tenants.map((t: Json) => t.name)).toEqual(['alice']);
      expect(mine.body.tenants[0].ssh_key).toBe('**********');
      const all = await h.call('GET', '/tenants', { auth: h.admin() });
      const names = all.body.tenants.map((t: Json) => t.name);
      expect(names).toEqual(expect.arrayContaining(['admin', 'alice', 'bob', 'carol', 'dave']));
      expect(all.body.tenants.find((t: Json) => t.name === 'dave').active).toBe(false);
    });

    it('GET one: self 200; another (or unknown) 403 for tenants (W-S3); 404 unknown for admins', async () => {
      expect((await h.call('GET', `/tenants/${alice.id}`, { auth: alice.auth })).status).toBe(200);
      expect((await h.call('GET', `/tenants/${bob.id}`, { auth: alice.auth })).status).toBe(403);
      expect((await h.call('GET', '/tenants/5555', { auth: alice.auth })).status).toBe(403);
      expect((await h.call('GET', `/tenants/${bob.id}`, { auth: h.admin() })).status).toBe(200);
      expect((await h.call('GET', '/tenants/5555', { auth: h.admin() })).status).toBe(404);
      expect((await h.call('GET', `/tenants/${bob.id}`)).status).toBe(401);
    });

    it('PUT: non-admins 403 first (W-S3); 404; body shapes; updates; retire and unretire', async () => {
      expect((await h.call('PUT', '/tenants/5555', { auth: alice.auth, body: {} })).status).toBe(
        403,
      );
      expect(
        (await h.call('PUT', `/tenants/${alice.id}`, { auth: alice.auth, body: { node_quota: 9 } }))
          .status,
      ).toBe(403);
      expect((await h.call('PUT', `/tenants/${alice.id}`, { body: {} })).status).toBe(401);
      const unknown = await h.call('PUT', '/tenants/5555', {
        auth: h.admin(),
        body: { active: true },
      });
      expect(unknown.status).toBe(404);
      const empty = await h.call('PUT', `/tenants/${bob.id}`, { auth: h.admin(), body: {} });
      expect(empty.status).toBe(422);
      expect(empty.body.detail).toMatch(/one of ssh_key, api_key, node_quota/);
      const update = await h.call('PUT', `/tenants/${bob.id}`, {
        auth: h.admin(),
        body: { node_quota: 5, session_lifetime: null, ssh_key: 'ssh-ed25519 B2', active: false },
      });
      expect(update.status).toBe(200);
      expect(update.body.tenant).toMatchObject({
        node_quota: 5,
        effective_node_quota: 5,
        active: true,
        api_key: '**********',
        ssh_key: '**********',
      });
      const retire = await h.call('PUT', `/tenants/${bob.id}`, {
        auth: h.admin(),
        body: { active: false },
      });
      expect(retire.status).toBe(200);
      expect(retire.body.tenant).toMatchObject({ active: false, api_key: null });
      // the retired tenant's sessions expire now (the expiry timer then retires them)
      const bobs = await h.call('GET', '/sessions', { auth: h.admin() });
      for (const s of bobs.body.sessions.filter((x: Json) => x.tenant.name === 'bob')) {
        expect(Date.parse(s.expires_at)).toBeLessThanOrEqual(Date.now());
      }
      const blocked = await h.call('PUT', `/tenants/${bob.id}`, {
        auth: h.admin(),
        body: { node_quota: 3 },
      });
      expect(blocked.status).toBe(422);
      expect(blocked.body.detail).toBe(`tenant bob (id=${bob.id}) is retired`);
      const back = await h.call('PUT', `/tenants/${bob.id}`, {
        auth: h.admin(),
        body: { active: true },
      });
      expect(back.status).toBe(200);
      expect(back.body.tenant.active).toBe(true);
      expect((await h.call('GET', '/tenants', { auth: bob.auth })).status).toBe(200);
    });
  });

  describe('cross-cutting', () => {
    it('answers every request with an X-Request-Id and serves OpenAPI at /api/v1/docs', async () => {
      const res = await h.call('GET', '/pools');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const doc = await h.call('GET', '/openapi.json');
      for (const p of [
        '/api/v1/sessions',
        '/api/v1/sessions/{id}',
        '/api/v1/nodes',
        '/api/v1/tenants/{id}',
        '/api/v1/pools/{name}',
      ]) {
        expect(Object.keys(doc.body.paths)).toContain(p);
      }
      const ui = await fetch(`${h.base}/docs`);
      expect(ui.status).toBe(200);
    });
  });
});
