import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as yaml from 'js-yaml';
import { duffyMetrics } from '@app/observability';
import {
  alertRules,
  alertUnitTests,
  allPanels,
  asPromql,
  dashboard,
  duffyMetricNames,
  headingAnchors,
  OPERATIONS_DOC,
  PROMETHEUS_DIR,
} from './monitoring-files';

// deploy/prometheus and deploy/grafana checked with the real promtool (Debian package
// `prometheus`, installed by .ci/run) and against the metrics the code registers.

const run = promisify(execFile);
jest.setTimeout(60_000);

/** Runs promtool; a non-zero exit rejects with its output, which jest then shows. */
async function promtool(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('promtool', args, { cwd: PROMETHEUS_DIR, timeout: 30_000 });
  return stdout + stderr;
}

const REQUIRED_ALERTS = [
  'DuffyPoolBelowFillLevel',
  'DuffySagaDeadLetters',
  'DuffyProjectionLag',
  'DuffyNodesFailed',
];

/** The metrics of the issue 17 contract: the dashboard shows each of them. */
const CONTRACT_METRICS = [
  'duffy_nodes',
  'duffy_nodes_maintenance',
  'duffy_sessions_active',
  'duffy_sessions_queued',
  'duffy_tenants_by_active_sessions',
  'duffy_session_request_duration_seconds',
  'duffy_http_requests_total',
  'duffy_http_request_duration_seconds',
  'duffy_event_store_append_duration_seconds',
  'duffy_event_store_append_conflicts_total',
  'duffy_projection_lag_events',
  'duffy_projection_lag_seconds',
  'duffy_relay_lag_events',
  'duffy_saga_in_flight',
  'duffy_saga_retries_total',
  'duffy_saga_dead_letters_total',
  'duffy_playbook_runs_total',
  'duffy_playbook_run_duration_seconds',
  'duffy_pool_fill_level',
  'duffy_pool_fill_deficit',
];

function dashboardExpressions(): { where: string; expr: string }[] {
  return allPanels(dashboard()).flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      where: `panel ${p.id} "${p.title}" ${t.refId}`,
      expr: t.expr,
    })),
  );
}

/** A name as queried to the metric that makes it: a histogram's series carry suffixes. */
function baseName(name: string, histograms: Set<string>): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m && histograms.has(m[1]) ? m[1] : name;
}

describe('Prometheus rules and configuration', () => {
  it('promtool accepts the alert rules and the example configuration', async () => {
    expect(await promtool('check', 'rules', 'alerts.yaml')).toContain('SUCCESS');
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
  });

  it('the unit tests pass and fire and clear each required alert', async () => {
    expect(await promtool('test', 'rules', 'alerts.test.yaml')).toContain('SUCCESS');
    const cases = alertUnitTests().flatMap((t) => t.alert_rule_test ?? []);
    for (const alert of REQUIRED_ALERTS) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect({ alert, fires: mine.some((c) => c.exp_alerts.length > 0) }).toEqual({
        alert,
        fires: true,
      });
      expect({ alert, silent: mine.some((c) => c.exp_alerts.length === 0) }).toEqual({
        alert,
        silent: true,
      });
    }
  });

  it('a broken rule makes the unit tests fail (they can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duffy-alerts-'));
    try {
      // The same tests against rules whose projection-lag bound is out of reach.
      const rules = readFileSync(join(PROMETHEUS_DIR, 'alerts.yaml'), 'utf8').replace(
        'duffy_projection_lag_seconds) > 30',
        'duffy_projection_lag_seconds) > 3000',
      );
      expect(rules).toContain('> 3000');
      writeFileSync(join(dir, 'alerts.yaml'), rules);
      writeFileSync(
        join(dir, 'alerts.test.yaml'),
        readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yaml')),
      );
      await expect(
        run('promtool', ['test', 'rules', 'alerts.test.yaml'], { cwd: dir, timeout: 30_000 }),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('alertname: DuffyProjectionLag, time: 9m'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every alert has for, a severity, a summary, a description and a runbook in docs/operations.md', () => {
    const anchors = headingAnchors(readFileSync(OPERATIONS_DOC, 'utf8'));
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    for (const r of rules) {
      const runbook = r.annotations?.runbook_url ?? '';
      expect({
        alert: r.alert,
        for: typeof r.for === 'string',
        severity: ['warning', 'critical'].includes(r.labels?.severity ?? ''),
        summary: (r.annotations?.summary ?? '') !== '',
        description: (r.annotations?.description ?? '') !== '',
        runbook: runbook.startsWith('docs/operations.md#') && anchors.has(runbook.split('#')[1]),
      }).toEqual({
        alert: r.alert,
        for: true,
        severity: true,
        summary: true,
        description: true,
        runbook: true,
      });
    }
  });
});

describe('Grafana dashboard', () => {
  it('has a Prometheus datasource variable that every panel and query uses', () => {
    const d = dashboard();
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(d.templating.list).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' }),
    );
    const panels = allPanels(d);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect({ panel: p.title, uid: p.datasource?.uid }).toEqual({
        panel: p.title,
        uid: '${DS_PROMETHEUS}',
      });
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe('${DS_PROMETHEUS}');
      expect(p.targets?.length).toBeGreaterThan(0);
    }
  });

  it('has the rows an operator looks for, panels side by side without overlap', () => {
    const panels = allPanels(dashboard());
    expect(panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'Pools',
      'Sessions',
      'HTTP',
      'Event store',
      'Projections and relay',
      'Sagas',
      'Playbooks',
    ]);
    const cells = new Set<string>();
    for (const { gridPos: g, title } of panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect({ title, cell: cells.has(`${x},${y}`) }).toEqual({ title, cell: false });
          cells.add(`${x},${y}`);
        }
    }
  });

  it('promtool parses every query of the dashboard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duffy-dashboard-'));
    try {
      // Each query as a recording rule: `check rules` runs Prometheus' own PromQL parser on it.
      const rules = dashboardExpressions().map((e, i) => ({
        record: `dashboard:query_${i}`,
        expr: asPromql(e.expr),
      }));
      expect(rules.length).toBeGreaterThan(20);
      writeFileSync(
        join(dir, 'dashboard.rules.yaml'),
        yaml.dump({ groups: [{ name: 'd', rules }] }),
      );
      const out = await promtool('check', 'rules', join(dir, 'dashboard.rules.yaml'));
      expect(out).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('metric names', () => {
  it('every duffy_* metric the dashboard and the alerts read is registered by the code', async () => {
    const registered = await duffyMetrics().registry.getMetricsAsJSON();
    const names = new Set(registered.map((m) => m.name));
    const histograms = new Set(
      registered.filter((m) => String(m.type) === 'histogram').map((m) => m.name),
    );
    const used = [
      ...dashboardExpressions(),
      ...alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
    ].flatMap((e) => duffyMetricNames(e.expr).map((name) => ({ where: e.where, name })));
    expect(used.length).toBeGreaterThan(30);
    const unknown = used.filter((u) => !names.has(baseName(u.name, histograms)));
    expect(unknown).toEqual([]);
  });

  it('the dashboard shows every metric of the contract', () => {
    const shown = new Set(
      dashboardExpressions().flatMap((e) =>
        duffyMetricNames(e.expr).map((n) => n.replace(/_(bucket|sum|count)$/, '')),
      ),
    );
    expect(CONTRACT_METRICS.filter((m) => !shown.has(m))).toEqual([]);
  });

  it('reads names, not label values, out of an expression', () => {
    expect(
      duffyMetricNames(
        'sum by (le) (rate(duffy_x_bucket{code="duffy_not_a_metric"}[5m])) / duffy_y',
      ),
    ).toEqual(['duffy_x_bucket', 'duffy_y']);
  });
});
