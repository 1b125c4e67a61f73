import { ApiHarness } from '../testing/api-harness';

// POST /nodes/purge-stale over HTTP: admins only, bad bounds refused, dry run changes nothing.
describe('POST /nodes/purge-stale end to end', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await ApiHarness.start('api_purge_stale');
  }, 60_000);

  afterAll(() => h?.stop());

  const post = (path: string, body: unknown, auth: [string, string] = h.admin()) =>
    h.call('POST', path, { auth, body });

  it('lists on a dry run, then retires a failed node older than the bound', async () => {
    const [failed, healthy] = await h.readyNodes('plain-a', 2);
    expect((await post(`/nodes/${failed}/fail`, { reason: 'bad RAM' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));

    const dry = await post('/nodes/purge-stale', { older_than: '1s', dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      action: 'post',
      purged: [{ id: failed, state: 'failed', action: 'retired' }],
    });
    expect((await h.call('GET', `/nodes/${failed}`, { auth: h.admin() })).body.node.active).toBe(
      true,
    );

    const done = await post('/nodes/purge-stale', { older_than: '1s' });
    expect(done.status).toBe(200);
    expect(done.body.purged.map((n: { id: number }) => n.id)).toEqual([failed]);
    const after = await h.call('GET', `/nodes/${failed}`, { auth: h.admin() });
    expect(after.body.node).toMatchObject({ active: false });
    const kept = await h.call('GET', `/nodes/${healthy}`, { auth: h.admin() });
    expect(kept.body.node).toMatchObject({ state: 'ready', active: true });
  });

  it('refuses bad bounds and non-admins', async () => {
    const bad = await post('/nodes/purge-stale', { older_than: 'soon' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'validation_error' });
    expect(bad.body.detail).toContain('older_than');
    expect((await post('/nodes/purge-stale', { dry_run: 'yes' })).status).toBe(422);
    const bob = await h.tenant('bob');
    expect((await post('/nodes/purge-stale', {}, bob.auth)).status).toBe(403);
  });
});
