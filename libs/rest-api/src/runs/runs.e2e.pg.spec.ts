import { ProvisioningRunEvents } from '@app/read-models/testing/provisioning-run-events';
import type { StartedRun } from '@app/read-models/testing/provisioning-run-events';
import { ApiHarness } from '../testing/api-harness';
import type { Json } from '../testing/api-harness';

// GET /runs and GET /runs/{id} over HTTP: provisioner runs appended to the log as the
// provisioner's RunRecorder writes them, projected by the harness's projector.
describe('provisioning runs end to end', () => {
  let h: ApiHarness;
  let runs: ProvisioningRunEvents;
  let alice: { id: number; auth: [string, string] };
  let first: StartedRun;
  let second: StartedRun;
  let third: StartedRun;

  beforeAll(async () => {
    h = await ApiHarness.start('api_runs');
    runs = new ProvisioningRunEvents(h.store);
    alice = await h.tenant('alice');
    first = await runs.start('plain-a', '2024-02-01T10:00:00.000Z');
    await runs.finish(first, { durationMs: 12_500 });
    second = await runs.start('plain-b', '2024-02-01T10:05:00.000Z', {
      kind: 'deprovision',
      fillRunId: null,
      sessionId: 7,
      nodeIds: [3],
      playbook: 'deprovision.yml',
    });
    third = await runs.start('plain-a', '2024-02-01T10:10:00.250Z', { nodeIds: [4, 5] });
    await h.caughtUp();
  }, 60_000);

  afterAll(() => h?.stop());

  /** As admin unless told otherwise; `null`: without credentials. */
  const get = (path: string, auth: [string, string] | null = h.admin()) =>
    h.call('GET', path, auth ? { auth } : {});
  const ids = (body: Json) => body.runs.map((r: Json) => r.id);

  it('lists every run, newest first, in the original style', async () => {
    const res = await get('/runs');
    expect(res.status).toBe(200);
    expect(res.body.action).toBe('get');
    expect(ids(res.body)).toEqual([third.runId, second.runId, first.runId]);
    expect(res.body.runs[2]).toEqual({
      id: first.runId,
      pool: 'plain-a',
      kind: 'provision',
      status: 'succeeded',
      nodes: [1, 2],
      playbook: 'provision.yml',
      instance: 'provisioner-1',
      started_at: '2024-02-01T10:00:00Z',
      finished_at: '2024-02-01T10:00:12.500000Z',
      duration: 12.5,
      exit_code: 0,
      timed_out: false,
      reason: null,
      output_tail: 'PLAY RECAP ok=3 failed=0',
    });
    expect(res.body.runs[1]).toMatchObject({ kind: 'deprovision', pool: 'plain-b', nodes: [3] });
  });

  it('filters by pool and limits the count', async () => {
    expect(ids((await get('/runs?pool=plain-a')).body)).toEqual([third.runId, first.runId]);
    expect(ids((await get('/runs?pool=nope')).body)).toEqual([]);
    expect(ids((await get('/runs?limit=1')).body)).toEqual([third.runId]);
    expect(ids((await get('/runs?pool=plain-a&limit=1000')).body)).toEqual([
      third.runId,
      first.runId,
    ]);
  });

  it('422 naming the parameter for a limit that is not 1 to 1000, or a repeated one', async () => {
    for (const query of [
      'limit=0',
      'limit=1001',
      'limit=abc',
      'limit=1.5',
      'limit=-1',
      'limit=',
      'limit=1e2',
      'limit=1&limit=2',
    ]) {
      const res = await get(`/runs?${query}`);
      expect([query, res.status]).toEqual([query, 422]);
      expect(res.body).toEqual({
        detail: 'limit: limit must be an integer from 1 to 1000',
        code: 'validation_error',
      });
    }
    const pools = await get('/runs?pool=a&pool=b');
    expect(pools.status).toBe(422);
    expect(pools.body.detail).toMatch(/^pool: /);
  });

  it('shows one run while it runs, then finished', async () => {
    const running = await get(`/runs/${third.runId}`);
    expect(running.status).toBe(200);
    expect(running.body).toEqual({
      action: 'get',
      run: {
        id: third.runId,
        pool: 'plain-a',
        kind: 'provision',
        status: 'running',
        nodes: [4, 5],
        playbook: 'provision.yml',
        instance: 'provisioner-1',
        started_at: '2024-02-01T10:10:00.250000Z',
        finished_at: null,
        duration: null,
        exit_code: null,
        timed_out: false,
        reason: null,
        output_tail: null,
      },
    });

    await runs.finish(third, {
      durationMs: 600_000,
      status: 'failed',
      reason: 'playbook timed out',
      exitCode: null,
      timedOut: true,
      outputTail: '...TASK [wait for ssh]',
      succeededNodeIds: [],
      failedNodeIds: [4, 5],
    });
    await h.caughtUp();
    const done = await get(`/runs/${third.runId.toUpperCase()}`);
    expect(done.status).toBe(200);
    expect(done.body.run).toMatchObject({
      id: third.runId,
      status: 'failed',
      started_at: '2024-02-01T10:10:00.250000Z',
      finished_at: '2024-02-01T10:20:00.250000Z',
      duration: 600,
      exit_code: null,
      timed_out: true,
      reason: 'playbook timed out',
      output_tail: '...TASK [wait for ssh]',
    });
    // Finishing does not reorder: runs stay sorted by their start.
    expect(ids((await get('/runs')).body)[0]).toBe(third.runId);
  });

  it('404 Not Found for an unknown or malformed id, never a 5xx', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'abc',
      '1',
      `${first.runId}x`,
      'x'.repeat(5000),
      '%00',
      "'; DROP TABLE provisioning_runs; --",
    ]) {
      const res = await get(`/runs/${encodeURIComponent(id)}`);
      expect([id.slice(0, 40), res.status]).toEqual([id.slice(0, 40), 404]);
      expect(res.body).toEqual({ detail: 'Not Found', code: 'not_found' });
    }
  });

  it('admins only: 401 without credentials, 403 for a tenant (existing run or not)', async () => {
    for (const path of ['/runs', `/runs/${first.runId}`, '/runs/nope', '/runs?limit=abc']) {
      const anonymous = await get(path, null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.detail).toBe('Not authenticated');
      expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="duffy"');
      const tenant = await get(path, alice.auth);
      expect(tenant.status).toBe(403);
      expect(tenant.body).toEqual({ detail: 'Forbidden', code: 'forbidden' });
    }
  });

  it('is in the OpenAPI document, marked for admins and auditors only', async () => {
    const doc = await h.call('GET', '/openapi.json');
    expect(doc.body.paths['/api/v1/runs'].get.description).toMatch(/^Admins and auditors only/);
    expect(doc.body.paths['/api/v1/runs/{id}'].get.description).toMatch(
      /^Admins and auditors only/,
    );
    expect(doc.body.components.schemas.RunDto.properties).toHaveProperty('output_tail');
  });
});
