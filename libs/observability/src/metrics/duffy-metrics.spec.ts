import { activeSessionBucket, countByActiveSessionBucket } from './active-session-buckets';
import { DuffyMetrics, duffyMetrics } from './duffy-metrics';

// The contract's names and labels, exactly: dashboards and alerts are written against them.
const CONTRACT: Record<string, { type: string; labels: string[] }> = {
  duffy_nodes: { type: 'gauge', labels: ['pool', 'state'] },
  duffy_nodes_maintenance: { type: 'gauge', labels: ['pool'] },
  duffy_sessions_active: { type: 'gauge', labels: [] },
  duffy_sessions_queued: { type: 'gauge', labels: [] },
  duffy_tenants_by_active_sessions: { type: 'gauge', labels: ['sessions'] },
  duffy_session_request_duration_seconds: { type: 'histogram', labels: ['code'] },
  duffy_http_requests_total: { type: 'counter', labels: ['method', 'route', 'status'] },
  duffy_http_request_duration_seconds: {
    type: 'histogram',
    labels: ['method', 'route', 'status'],
  },
  duffy_event_store_append_duration_seconds: { type: 'histogram', labels: ['kind'] },
  duffy_event_store_append_conflicts_total: { type: 'counter', labels: ['kind'] },
  duffy_projection_lag_events: { type: 'gauge', labels: ['projection'] },
  duffy_projection_lag_seconds: { type: 'gauge', labels: ['projection'] },
  duffy_relay_lag_events: { type: 'gauge', labels: [] },
  duffy_saga_in_flight: { type: 'gauge', labels: ['saga'] },
  duffy_saga_retries_total: { type: 'counter', labels: ['saga'] },
  duffy_saga_dead_letters_total: { type: 'counter', labels: ['saga'] },
  duffy_playbook_runs_total: { type: 'counter', labels: ['pool', 'kind', 'status'] },
  duffy_playbook_run_duration_seconds: { type: 'histogram', labels: ['pool', 'kind'] },
  duffy_pool_fill_level: { type: 'gauge', labels: ['pool'] },
  duffy_pool_fill_deficit: { type: 'gauge', labels: ['pool'] },
};

/** Label names a metric may never carry: unbounded, or naming a tenant or a machine. */
const FORBIDDEN_LABELS = /tenant|host|ip|id$|name|session_id|node_id|user/i;

describe('DuffyMetrics', () => {
  it('registers exactly the contract metrics, with their types and labels', async () => {
    const metrics = new DuffyMetrics({ defaultMetrics: false });
    const json = await metrics.registry.getMetricsAsJSON();
    const ours = Object.fromEntries(
      json.map((m) => {
        const metric = metrics.registry.getSingleMetric(m.name) as unknown as {
          labelNames: string[];
        };
        return [m.name, { type: String(m.type), labels: [...metric.labelNames] }];
      }),
    );
    expect(Object.keys(ours).sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const [name, expected] of Object.entries(CONTRACT)) {
      expect({ name, ...ours[name] }).toEqual({ name, ...expected });
    }
  });

  it('has no label that names a tenant, host or id', () => {
    for (const { labels } of Object.values(CONTRACT)) {
      for (const label of labels) expect(label).not.toMatch(FORBIDDEN_LABELS);
    }
  });

  it('is one instance per process, with the default process metrics', async () => {
    expect(duffyMetrics()).toBe(duffyMetrics());
    expect(await duffyMetrics().registry.metrics()).toContain('process_cpu_user_seconds_total');
  });

  it('runs gauge sources on scrape; a failing one never fails the scrape', async () => {
    const metrics = new DuffyMetrics({ defaultMetrics: false });
    let level = 3;
    metrics.addGaugeSource('fill', async () => {
      metrics.poolFillLevel.set({ pool: 'p' }, level);
    });
    const remove = metrics.addGaugeSource('broken', async () => {
      throw new Error('database down');
    });
    expect(await metrics.scrape()).toContain('duffy_pool_fill_level{pool="p"} 3');
    level = 5;
    expect(await metrics.scrape()).toContain('duffy_pool_fill_level{pool="p"} 5');
    remove();
    metrics.addGaugeSource('fill', async () => {
      metrics.poolFillLevel.set({ pool: 'p' }, 7);
    });
    expect(await metrics.scrape()).toContain('duffy_pool_fill_level{pool="p"} 7');
  });
});

describe('active-session buckets', () => {
  it('puts counts into 0, 1, 2-5, 6-20, 21+', () => {
    expect([0, 1, 2, 5, 6, 20, 21, 500].map(activeSessionBucket)).toEqual([
      '0',
      '1',
      '2-5',
      '2-5',
      '6-20',
      '6-20',
      '21+',
      '21+',
    ]);
    expect(countByActiveSessionBucket([0, 0, 3, 30])).toEqual({
      '0': 2,
      '1': 0,
      '2-5': 1,
      '6-20': 0,
      '21+': 1,
    });
  });
});
