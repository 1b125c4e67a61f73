import { STREAM_PREFIX } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { EffectMarker, Violation } from '../contract';
import type { ChaosRunEvidence, RuleFindings } from './chaos-run-evidence';
import { classify, LogFold, msOf } from './fold-log';

/** Marker times and event times come from one machine's clock; this covers their rounding. */
export const MARKER_SLACK_MS = 2000;

type EffectKind = EffectMarker['kind'];

/** One provisioning (NodeProvisioningStarted → …) or deprovisioning of a node, from the log. */
interface Attempt {
  kind: EffectKind;
  nodeId: number;
  pool: string;
  startMs: number;
  start: string;
  /** When the attempt ended; undefined while it is still open at the end of the log. */
  endMs?: number;
  outcome: 'succeeded' | 'failed' | 'open';
  /** Markers inside [start − slack, end + slack], and those after the end (before the next). */
  within: EffectMarker[];
  late: EffectMarker[];
}

/** One mechanism run (run-<uuid>: ProvisioningRunStarted, then Finished unless interrupted). */
interface Run {
  kind: EffectKind;
  nodeIds: number[];
  startMs: number;
  finishedMs?: number;
}

/**
 * `effect-doubled` / `effect-lost`, for nodes of Ansible pools (static pools leave no marker).
 * A marker belongs to the node's attempt of its kind that started last before it. An attempt
 * that succeeded (NodeProvisioningSucceeded, NodeDeprovisioned) has exactly one marker in its
 * window, else it is lost (none) or doubled (two or more, late ones too); an attempt that
 * failed (killed mid-playbook, failed by the reconciler) may have left its one marker: an
 * orphan, a figure; two in its window are doubled. Markers before any attempt are strays.
 * Redelivery is how the provisioner resumes work (docs/provisioning.md): a run interrupted by a
 * kill, a PostgreSQL restart or a pause past the ack wait is run again, so an attempt whose runs
 * show that (a run with no ProvisioningRunFinished, or finished after the next began) may have
 * one marker per run — a figure; more markers than runs, or runs one after the other, doubled.
 */
export function checkEffects(e: ChaosRunEvidence): RuleFindings {
  const ansible = new Set(e.pools.filter((p) => p.mechanism === 'ansible').map((p) => p.name));
  const attempts = attemptsOf(e.events).filter((a) => ansible.has(a.pool));
  const runs = runsOf(e.events);
  const byNode = new Map<string, Attempt[]>();
  for (const a of attempts) {
    const key = `${a.kind} ${a.nodeId}`;
    byNode.set(key, [...(byNode.get(key) ?? []), a]);
  }
  let strays = 0;
  const markers = [...e.markers].sort((x, y) => msOf(x.at) - msOf(y.at));
  for (const m of markers) {
    const at = msOf(m.at);
    const own = (byNode.get(`${m.kind} ${m.nodeId}`) ?? []).filter(
      (a) => a.startMs - MARKER_SLACK_MS <= at,
    );
    const attempt = own[own.length - 1];
    if (!attempt) strays += 1;
    else if (attempt.endMs === undefined || at <= attempt.endMs + MARKER_SLACK_MS)
      attempt.within.push(m);
    else attempt.late.push(m);
  }

  const violations: Violation[] = [];
  let orphans = 0;
  let redone = 0;
  for (const a of attempts) {
    const what = `node ${a.nodeId} (${a.pool}) ${a.kind} attempt started ${a.start}, ${a.outcome}`;
    const times = [...a.within, ...a.late].map((m) => m.at).join(', ');
    const counted = a.outcome === 'succeeded' ? a.within.length + a.late.length : a.within.length;
    if (counted > 1 && resumedAfterInterruption(a, runs, counted)) {
      redone += counted - 1;
      continue;
    }
    if (a.outcome === 'succeeded') {
      if (a.within.length + a.late.length > 1) {
        violations.push({
          rule: 'effect-doubled',
          detail: `${what}: ${a.within.length + a.late.length} markers (${times})`,
        });
      } else if (a.within.length === 0) {
        violations.push({
          rule: 'effect-lost',
          detail: `${what}: no ${a.kind} marker in its time${times ? ` (late: ${times})` : ''}`,
        });
      }
    } else if (a.within.length > 1) {
      violations.push({
        rule: 'effect-doubled',
        detail: `${what}: ${a.within.length} markers (${times})`,
      });
    } else {
      orphans += a.within.length + a.late.length;
    }
  }
  const count = (kind: EffectKind) => e.markers.filter((m) => m.kind === kind).length;
  return {
    violations,
    figures: {
      effectsProvision: count('provision'),
      effectsDeprovision: count('deprovision'),
      effectsOrphan: orphans,
      effectsStray: strays,
      effectsRedoneAfterInterruption: redone,
    },
  };
}

/** Whether the attempt's runs explain `markers` markers: one per run, a run interrupted. */
function resumedAfterInterruption(a: Attempt, runs: Run[], markers: number): boolean {
  const own = runs
    .filter(
      (r) =>
        r.kind === a.kind &&
        r.nodeIds.includes(a.nodeId) &&
        r.startMs >= a.startMs - MARKER_SLACK_MS &&
        (a.endMs === undefined || r.startMs <= a.endMs + MARKER_SLACK_MS),
    )
    .sort((x, y) => x.startMs - y.startMs);
  if (markers > own.length) return false;
  return own.some(
    (r, i) =>
      i < own.length - 1 && (r.finishedMs === undefined || r.finishedMs > own[i + 1].startMs),
  );
}

/** The mechanism runs of the log, from the run streams. */
function runsOf(events: RecordedEvent[]): Run[] {
  const runs = new Map<string, Run>();
  for (const e of events) {
    if (!e.stream.startsWith(STREAM_PREFIX.run)) continue;
    const data = e.data as {
      kind?: EffectKind;
      nodeIds?: number[];
      startedAt?: string;
      at?: string;
    };
    if (e.type === 'ProvisioningRunStarted' && data.kind && Array.isArray(data.nodeIds)) {
      runs.set(e.stream, { kind: data.kind, nodeIds: data.nodeIds, startMs: msOf(data.startedAt) });
    } else if (e.type === 'ProvisioningRunFinished') {
      const run = runs.get(e.stream);
      if (run) run.finishedMs = msOf(data.at);
    }
  }
  return [...runs.values()];
}

/** Every provisioning and deprovisioning of every node, with its pool and how it ended. */
function attemptsOf(events: RecordedEvent[]): Attempt[] {
  const fold = new LogFold();
  const open = new Map<number, Attempt>();
  const all: Attempt[] = [];
  const end = (nodeId: number, outcome: Attempt['outcome'], at: string) => {
    const a = open.get(nodeId);
    if (!a) return;
    a.outcome = outcome;
    a.endMs = msOf(at);
    open.delete(nodeId);
  };
  for (const recorded of events) {
    const entry = classify(recorded);
    const before = fold.apply(entry);
    if (entry.kind !== 'node') continue;
    const e = entry.event;
    const begin = (kind: EffectKind, pool: string | null) => {
      end(entry.id, 'failed', e.data.at); // an attempt never left open is over once another starts
      const a: Attempt = {
        kind,
        nodeId: entry.id,
        pool: pool ?? '',
        start: e.data.at,
        startMs: msOf(e.data.at),
        outcome: 'open',
        within: [],
        late: [],
      };
      open.set(entry.id, a);
      all.push(a);
    };
    switch (e.type) {
      case 'NodeProvisioningStarted':
        begin('provision', e.data.pool);
        break;
      case 'NodeDeprovisioningStarted':
        // The node leaves its pool as deprovisioning starts: the pool is the one before.
        begin('deprovision', (before as { pool: string | null } | undefined)?.pool ?? null);
        break;
      case 'NodeProvisioningSucceeded':
      case 'NodeDeprovisioned':
        end(entry.id, 'succeeded', e.data.at);
        break;
      case 'NodeProvisioningFailed':
      case 'NodeFailed':
      case 'NodeRetired':
        end(entry.id, 'failed', e.data.at);
        break;
    }
  }
  return all;
}
