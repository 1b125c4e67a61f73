import { ApiHarness } from '../testing/api-harness';
import type { Json } from '../testing/api-harness';

// Node administration over HTTP (issue 17): each action's answer, its event in the node's
// history with the admin as actor and the reason, who may do it, and the list's filters.
describe('node administration end to end', () => {
  let h: ApiHarness;
  let alice: { id: number; auth: [string, string] };

  beforeAll(async () => {
    h = await ApiHarness.start('api_node_admin');
    alice = await h.tenant('alice');
  }, 60_000);

  afterAll(() => h?.stop());

  const post = (path: string, body: unknown = {}, auth: [string, string] = h.admin()) =>
    h.call('POST', path, { auth, body });
  const get = (path: string, auth: [string, string] = h.admin()) => h.call('GET', path, { auth });
  const lastEvent = async (id: number): Promise<Json> => {
    const res = await get(`/nodes/${id}/history`);
    expect(res.status).toBe(200);
    return res.body.history[res.body.history.length - 1];
  };
  const historyLength = async (id: number) =>
    (await get(`/nodes/${id}/history`)).body.history.length;

  it('maintain takes a node out of the pool levels; twice changes nothing; release gives it back', async () => {
    const [id] = await h.readyNodes('plain-a', 1);
    const ready = async () => (await get('/pools/plain-a')).body.pool.levels.ready;
    expect(await ready()).toBe(1);

    const res = await post(`/nodes/${id}/maintain`, { reason: 'disk check' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: 'post',
      node: { id, state: 'ready', maintenance: 'disk check', active: true },
    });
    expect(await lastEvent(id)).toMatchObject({
      type: 'NodeMaintenanceStarted',
      actor: 'admin',
      actor_kind: 'admin',
      data: { nodeId: id, reason: 'disk check' },
      summary: `node ${id} maintenance started: disk check`,
    });
    expect(await ready()).toBe(0);

    const events = await historyLength(id);
    const again = await post(`/nodes/${id}/maintain`, { reason: 'other' });
    expect(again.status).toBe(200);
    expect(again.body.node.maintenance).toBe('disk check');
    expect(await historyLength(id)).toBe(events);

    const released = await post(`/nodes/${id}/release`);
    expect(released.status).toBe(200);
    expect(released.body.node).toMatchObject({ id, state: 'ready', maintenance: null });
    expect(await lastEvent(id)).toMatchObject({
      type: 'NodeMaintenanceEnded',
      actor: 'admin',
      data: { reason: 'back in service' },
    });
    expect(await ready()).toBe(1);
    // Released while in service: nothing to do, nothing appended.
    expect((await post(`/nodes/${id}/release`)).status).toBe(200);
    expect(await historyLength(id)).toBe(events + 1);
  });

  it('fail records the reason under data.error; a failed node cannot be failed again (409)', async () => {
    const [id] = await h.readyNodes('plain-a', 1);
    const res = await post(`/nodes/${id}/fail`, { reason: 'bad RAM' });
    expect(res.status).toBe(200);
    expect(res.body.node).toMatchObject({
      id,
      state: 'failed',
      data: { error: { detail: 'bad RAM' } },
    });
    expect(await lastEvent(id)).toMatchObject({
      type: 'NodeFailed',
      actor: 'admin',
      data: { reason: 'bad RAM', previous: 'ready' },
    });
    const again = await post(`/nodes/${id}/fail`, { reason: 'still bad' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'invalid_transition' });
    expect(again.body.detail).toContain('failed');
  });

  it('comment keeps every comment in the history and the latest on the node, retired ones too', async () => {
    const [id] = await h.readyNodes('plain-b', 1);
    expect((await post(`/nodes/${id}/comment`, { comment: 'fan noisy' })).status).toBe(200);
    const res = await post(`/nodes/${id}/comment`, { comment: 'fan replaced\nby Bob' });
    expect(res.status).toBe(200);
    expect(res.body.node.comment).toBe('fan replaced\nby Bob');
    const history = (await get(`/nodes/${id}/history`)).body.history as Json[];
    const comments = history.filter((e) => e.type === 'NodeCommented');
    expect(comments.map((e) => [e.actor, e.data.comment])).toEqual([
      ['admin', 'fan noisy'],
      ['admin', 'fan replaced\nby Bob'],
    ]);
    expect(comments[1].summary).toBe(`node ${id} comment: fan replaced by Bob`);

    const retired = await post(`/nodes/${id}/retire`, { reason: 'end of life' });
    expect(retired.status).toBe(200);
    expect(retired.body.node).toMatchObject({ id, active: false });
    expect(retired.body.node.retired_at).not.toBeNull();
    expect(await lastEvent(id)).toMatchObject({
      type: 'NodeRetired',
      actor: 'admin',
      data: { reason: 'end of life' },
    });
    const late = await post(`/nodes/${id}/comment`, { comment: 'sent to recycling' });
    expect(late.status).toBe(200);
    expect(late.body.node.comment).toBe('sent to recycling');
    // A retired node cannot be retired, maintained or reprovisioned again.
    for (const action of ['retire', 'maintain', 'reprovision']) {
      const refused = await post(`/nodes/${id}/${action}`);
      expect([action, refused.status, refused.body.code]).toEqual([
        action,
        409,
        'invalid_transition',
      ]);
    }
  });

  it('reprovision starts the deprovisioning of a ready node; from deprovisioning it is refused', async () => {
    const [id] = await h.readyNodes('plain-b', 1);
    const res = await post(`/nodes/${id}/reprovision`, { reason: 'new image' });
    expect(res.status).toBe(200);
    expect(res.body.node).toMatchObject({ id, state: 'deprovisioning', pool: null });
    expect(await lastEvent(id)).toMatchObject({
      type: 'NodeDeprovisioningStarted',
      actor: 'admin',
      data: { sessionId: null, reason: 'new image' },
    });
    const again = await post(`/nodes/${id}/reprovision`);
    expect(again.status).toBe(409);
  });

  it('admins only: 403 for a tenant, 401 without credentials; nothing is appended', async () => {
    const [id] = await h.readyNodes('plain-a', 1);
    const before = await historyLength(id);
    for (const action of ['fail', 'maintain', 'release', 'retire', 'reprovision']) {
      const res = await post(`/nodes/${id}/${action}`, { reason: 'mine now' }, alice.auth);
      expect([action, res.status, res.body.code]).toEqual([action, 403, 'forbidden']);
    }
    const comment = await post(`/nodes/${id}/comment`, { comment: 'hi' }, alice.auth);
    expect(comment.status).toBe(403);
    const anonymous = await h.call('POST', `/nodes/${id}/maintain`, { body: {} });
    expect(anonymous.status).toBe(401);
    expect(await historyLength(id)).toBe(before);
  });

  it('404 for an unknown node, 422 for a bad id or body', async () => {
    const missing = await post('/nodes/999999/maintain', { reason: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    expect((await post('/nodes/99999999999999/fail')).status).toBe(404);
    expect((await post('/nodes/abc/fail')).status).toBe(422);

    const [id] = await h.readyNodes('plain-a', 1);
    const long = await post(`/nodes/${id}/maintain`, { reason: 'x'.repeat(501) });
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject({ code: 'validation_error' });
    expect(long.body.detail).toContain('reason');
    const notText = await post(`/nodes/${id}/fail`, { reason: 42 });
    expect(notText.status).toBe(422);
    const noComment = await post(`/nodes/${id}/comment`, {});
    expect(noComment.status).toBe(422);
    expect(noComment.body.detail).toContain('comment');
    const tooLong = await post(`/nodes/${id}/comment`, { comment: 'y'.repeat(2001) });
    expect(tooLong.status).toBe(422);
    const blank = await post(`/nodes/${id}/comment`, { comment: '   ' });
    expect(blank.status).toBe(422);
    expect((await post(`/nodes/${id}/comment`, { comment: 'y'.repeat(2000) })).status).toBe(200);
    // Unknown actions are no route.
    expect((await post(`/nodes/${id}/explode`)).status).toBe(404);
  });

  describe('GET /nodes filters', () => {
    let a: number[];
    let b: number[];

    beforeAll(async () => {
      a = await h.readyNodes('unfilled', 3);
      b = await h.readyNodes('ctx', 1);
      await post(`/nodes/${a[1]}/maintain`, { reason: 'rack move' });
      await post(`/nodes/${a[2]}/fail`, { reason: 'dead' });
    });

    const list = async (query: string): Promise<number[]> => {
      const res = await get(`/nodes?${query}`);
      expect(res.status).toBe(200);
      return res.body.nodes.map((n: Json) => n.id);
    };

    it('by pool, state, maintenance, and their combination', async () => {
      expect(await list('pool=unfilled')).toEqual(a);
      expect(await list('pool=unfilled&state=ready')).toEqual([a[0], a[1]]);
      expect(await list('pool=unfilled&state=failed')).toEqual([a[2]]);
      expect(await list('pool=unfilled&maintenance=true')).toEqual([a[1]]);
      expect(await list('pool=unfilled&maintenance=false')).toEqual([a[0], a[2]]);
      expect(await list('pool=unfilled&state=ready&maintenance=false')).toEqual([a[0]]);
      const inMaintenance = (await get('/nodes?maintenance=true')).body.nodes as Json[];
      expect(inMaintenance.every((n) => n.maintenance !== null)).toBe(true);
      expect(inMaintenance.map((n) => n.id)).toContain(a[1]);
    });

    it('by hostname glob: * and ? only, LIKE characters are literal', async () => {
      expect(await list(`hostname=n${a[0]}.test`)).toEqual([a[0]]);
      expect(await list(`hostname=n${b[0]}.*`)).toEqual([b[0]]);
      expect(await list(`pool=unfilled&hostname=n*.test`)).toEqual(a);
      const digits = String(a[0]).length;
      const pattern = `n${'?'.repeat(digits)}.test`;
      expect(await list(`pool=unfilled&hostname=${encodeURIComponent(pattern)}`)).toEqual(
        a.filter((id) => String(id).length === digits),
      );
      expect(await list(`hostname=${encodeURIComponent('n%')}`)).toEqual([]);
      expect(await list(`hostname=${encodeURIComponent('n_.test')}`)).toEqual([]);
    });

    it('a tenant lists only the nodes of its sessions, filters applied', async () => {
      const res = await get('/nodes?pool=unfilled', alice.auth);
      expect(res.status).toBe(200);
      expect(res.body.nodes).toEqual([]);
    });

    it('an invalid filter is a 422 naming the parameter', async () => {
      for (const [query, name] of [
        ['state=broken', 'state'],
        ['state=', 'state'],
        ['maintenance=yes', 'maintenance'],
        ['hostname=', 'hostname'],
        [`hostname=${'x'.repeat(256)}`, 'hostname'],
        ['pool=a&pool=b', 'pool'],
        ['state=ready&state=failed', 'state'],
        ['pool=unfilled&state=ready&as_of=2026-01-01T00:00:00Z', 'as_of'],
      ]) {
        const res = await get(`/nodes?${query}`);
        expect([query, res.status, res.body.code]).toEqual([query, 422, 'validation_error']);
        expect(res.body.detail.startsWith(`${name}:`)).toBe(true);
      }
    });
  });
});
