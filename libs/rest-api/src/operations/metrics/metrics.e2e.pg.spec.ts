import { ChangeNodeCommand } from '@app/application';
import { ApiHarness } from '../../testing/api-harness';
import { parseExposition, Sample, sampleValue } from './testing/exposition';

// GET /metrics through a session's life, against the api and a projector on a real PostgreSQL.
describe('GET /metrics', () => {
  let h: ApiHarness;
  let alice: { id: number; auth: [string, string] };
  let root: string;

  beforeAll(async () => {
    h = await ApiHarness.start('metrics_e2e');
    root = h.base.replace(/\/api\/v1$/, '');
    alice = await h.tenant('alice-metrics');
    await h.readyNodes('plain-a', 2);
  }, 60_000);

  afterAll(() => h?.stop());

  const scrape = async (): Promise<Sample[]> => {
    const res = await fetch(`${root}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return parseExposition(await res.text());
  };
  const nodes = (samples: Sample[], state: string) =>
    sampleValue(samples, 'duffy_nodes', { pool: 'plain-a', state });
  const requests = (samples: Sample[], code: string) =>
    sampleValue(samples, 'duffy_session_request_duration_seconds_count', { code }) ?? 0;
  const appends = (samples: Sample[]) =>
    (sampleValue(samples, 'duffy_event_store_append_duration_seconds_count', { kind: 'single' }) ??
      0) +
    (sampleValue(samples, 'duffy_event_store_append_duration_seconds_count', { kind: 'multi' }) ??
      0);

  it('is public, at the root and not under /api/v1', async () => {
    expect((await fetch(`${root}/metrics`)).status).toBe(200);
    expect((await h.call('GET', '/metrics')).status).toBe(404);
  });

  it('follows a session: nodes ready → deployed → deprovisioning, requests by outcome', async () => {
    const before = await scrape();
    expect(nodes(before, 'ready')).toBe(2);
    expect(nodes(before, 'deployed')).toBe(0);
    expect(sampleValue(before, 'duffy_sessions_active')).toBe(0);
    expect(sampleValue(before, 'duffy_tenants_by_active_sessions', { sessions: '0' })).toBe(2);

    const created = await h.call('POST', '/sessions', {
      auth: alice.auth,
      body: { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] },
    });
    expect(created.status).toBe(201);
    await h.caughtUp();
    const during = await scrape();
    expect(nodes(during, 'ready')).toBe(1);
    expect(nodes(during, 'deployed')).toBe(1);
    expect(sampleValue(during, 'duffy_sessions_active')).toBe(1);
    expect(sampleValue(during, 'duffy_tenants_by_active_sessions', { sessions: '1' })).toBe(1);
    expect(requests(during, 'allocated')).toBe(requests(before, 'allocated') + 1);
    expect(appends(during)).toBeGreaterThan(appends(before));

    const retired = await h.call('PUT', `/sessions/${created.body.session.id}`, {
      auth: alice.auth,
      body: { active: false },
    });
    expect(retired.status).toBe(200);
    // The provisioner's deprovisioner does not run here: its first step, through the same command.
    const nodeId = created.body.session.nodes[0].id as number;
    await h
      .bus()
      .execute(
        new ChangeNodeCommand(
          nodeId,
          (_, now) => ({ type: 'StartDeprovisioning', data: { reason: 'session retired', now } }),
          'test',
        ),
      );
    await h.caughtUp();
    const after = await scrape();
    expect(nodes(after, 'deployed')).toBe(0);
    // The read model takes a node being torn down out of its pool (compat): pool "".
    expect(sampleValue(after, 'duffy_nodes', { pool: '', state: 'deprovisioning' })).toBe(1);
    expect(sampleValue(after, 'duffy_sessions_active')).toBe(0);
  });

  it('counts a refusal under its code (422 unknown_pool)', async () => {
    const before = await scrape();
    const refused = await h.call('POST', '/sessions', {
      auth: alice.auth,
      body: { nodes_specs: [{ pool: 'no-such-pool', quantity: 1 }] },
    });
    expect(refused.status).toBe(422);
    const code = refused.body.code as string;
    expect(code).toBe('unknown_pool');
    const after = await scrape();
    expect(requests(after, code)).toBe(requests(before, code) + 1);
    expect(requests(after, 'allocated')).toBe(requests(before, 'allocated'));
  });

  it('labels HTTP requests with the route template, never the id', async () => {
    const missing = await h.call('GET', '/sessions/987654', { auth: alice.auth });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    await fetch(`${root}/no/such/path`);
    const samples = await scrape();
    const routes = samples
      .filter((s) => s.name === 'duffy_http_requests_total')
      .map((s) => s.labels.route);
    expect(routes).toContain('/api/v1/sessions/:id');
    expect(routes).toContain('/api/v1/sessions');
    expect(routes).toContain('unmatched');
    expect(routes.some((r) => r.includes('987654'))).toBe(false);
    expect(
      sampleValue(samples, 'duffy_http_requests_total', {
        method: 'GET',
        route: '/api/v1/sessions/:id',
        status: String(missing.status),
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, 'duffy_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/sessions',
        status: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('exports the conflicts counter and no tenant name or hostname in any label', async () => {
    const text = await (await fetch(`${root}/metrics`)).text();
    expect(text).toContain('# TYPE duffy_event_store_append_conflicts_total counter');
    expect(text).not.toContain('alice-metrics');
    expect(text).not.toMatch(/\.test"/);
  });
});
