import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';

/** The monitoring files in deploy/ and what the checks need out of them. */

export const ROOT = join(__dirname, '..', '..', '..');
export const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus');
export const DASHBOARD_FILE = join(ROOT, 'deploy', 'grafana', 'duffy-dashboard.json');
export const OPERATIONS_DOC = join(ROOT, 'docs', 'operations.md');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function alertRules(): AlertRule[] {
  const doc = yaml.load(readFileSync(join(PROMETHEUS_DIR, 'alerts.yaml'), 'utf8')) as {
    groups: { rules: AlertRule[] }[];
  };
  return doc.groups.flatMap((g) => g.rules);
}

export interface AlertUnitTest {
  alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[];
}

export function alertUnitTests(): AlertUnitTest[] {
  const doc = yaml.load(readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yaml'), 'utf8')) as {
    tests: AlertUnitTest[];
  };
  return doc.tests;
}

interface Datasource {
  type?: string;
  uid?: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: Datasource;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { expr: string; refId: string; datasource?: Datasource }[];
  panels?: Panel[];
}

export interface Dashboard {
  schemaVersion: number;
  uid: string;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: Panel[];
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** Every panel, rows' nested ones included (a collapsed row keeps its panels inside). */
export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/**
 * A dashboard expression as Prometheus would get it: Grafana's variables replaced by values
 * of their kind, so promtool can parse the rest.
 */
export function asPromql(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$pool', '.*');
}

/** The `duffy_*` metric names an expression reads; string literals (label values) ignored. */
export function duffyMetricNames(expr: string): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  return [...new Set(code.match(/\bduffy_[a-zA-Z0-9_]*\b/g) ?? [])];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const m = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    anchors.add(
      m[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}
