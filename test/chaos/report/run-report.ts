import type { ChaosArgs } from '../chaos-args';
import type { CheckReport } from '../checker';
import type { InjectedFault, Violation } from '../contract';
import type { LoadSummary } from '../load';
import type { UnplannedExit } from '../processes/supervised-process';
import type { Settled } from '../world/settle';

/** Recovery times of one fault kind, ms. */
export interface RecoveryFigures {
  count: number;
  min: number;
  median: number;
  max: number;
  /** Faults after which the system was not whole within the injector's limit. */
  never: number;
}

export interface ChaosRunReport {
  ok: boolean;
  seed: number;
  minutes: number;
  startedAt: string;
  finishedAt: string;
  out: string;
  violations: Violation[];
  figures: Record<string, number>;
  load: LoadSummary;
  faults: { planned: number; injected: number; byKind: Record<string, number> };
  recovery: Record<string, RecoveryFigures>;
  /** Kills of the active projector: from the kill until the standby was active. */
  takeover: RecoveryFigures;
  injected: InjectedFault[];
  unplannedExits: UnplannedExit[];
  settled: Settled;
  checkerSelfTest: { caught: boolean; detail: string };
}

export interface RunFacts {
  args: ChaosArgs;
  startedAt: string;
  finishedAt: string;
  check: CheckReport;
  load: LoadSummary;
  faults: InjectedFault[];
  planned: number;
  unplannedExits: UnplannedExit[];
  settled: Settled;
  selfTest: { caught: boolean; detail: string };
  out: string;
}

/**
 * The run's verdict and figures. It fails on any violation, on a system that never came to rest,
 * on a fault kind never injected, and when the checker missed the doubled allocation.
 */
export function summarizeRun(f: RunFacts): ChaosRunReport {
  const violations = [...f.check.violations];
  if (!f.settled.whole) {
    violations.push({ rule: 'never-settled', detail: f.settled.moving ?? 'still moving' });
  }
  const byKind: Record<string, number> = {};
  for (const fault of f.faults) byKind[fault.kind] = (byKind[fault.kind] ?? 0) + 1;
  for (const kind of ['kill', 'pause', 'nats-node', 'postgres-restart']) {
    if (!byKind[kind]) {
      violations.push({ rule: 'fault-not-injected', detail: `no ${kind} fault in this run` });
    }
  }
  const recovery: Record<string, RecoveryFigures> = {};
  const groups = new Map<string, InjectedFault[]>();
  for (const fault of f.faults) {
    const key =
      fault.kind === 'kill' || fault.kind === 'pause'
        ? `${fault.kind} ${kindOf(fault.target)}`
        : fault.kind;
    groups.set(key, [...(groups.get(key) ?? []), fault]);
  }
  for (const [key, faults] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    recovery[key] = spread(faults.map((x) => x.recoveredMs));
    if (recovery[key].never > 0) {
      violations.push({
        rule: 'not-recovered',
        detail: `${recovery[key].never} ${key} fault(s) left the system unready`,
      });
    }
  }
  const activeProjectorKills = f.faults.filter(
    (x) => x.kind === 'kill' && x.takeoverMs !== undefined,
  );
  const takeover = spread(activeProjectorKills.map((x) => x.takeoverMs));
  return {
    ok: violations.length === 0 && f.selfTest.caught,
    seed: f.args.seed,
    minutes: f.args.minutes,
    startedAt: f.startedAt,
    finishedAt: f.finishedAt,
    out: f.out,
    violations,
    figures: f.check.figures,
    load: f.load,
    faults: { planned: f.planned, injected: f.faults.length, byKind },
    recovery,
    takeover,
    injected: f.faults,
    unplannedExits: f.unplannedExits,
    settled: f.settled,
    checkerSelfTest: f.selfTest,
  };
}

/** Count, min, median and max of measured times; `never` counts the ones not measured. */
function spread(measured: (number | undefined)[]): RecoveryFigures {
  const times = measured.filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  return {
    count: measured.length,
    min: times[0] ?? NaN,
    median: times[Math.floor(times.length / 2)] ?? NaN,
    max: times[times.length - 1] ?? NaN,
    never: measured.length - times.length,
  };
}

/** `api-2` → `api`. */
function kindOf(target: string): string {
  return target.replace(/-\d+$/, '');
}

/** The report as the lines a person reads at the end of a run. */
export function renderReport(r: ChaosRunReport): string {
  const lines = [
    `chaos run ${r.ok ? 'PASSED' : 'FAILED'}: seed ${r.seed}, ${r.minutes} min, ${r.startedAt} .. ${r.finishedAt}`,
    `answers: ${r.load.answers} (${Object.entries(r.load.byStatus)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')})`,
    `faults: ${r.faults.injected} injected of ${r.faults.planned} planned (${Object.entries(
      r.faults.byKind,
    )
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')})`,
    'recovery until every api is ready again (ms): kind count min median max never',
    ...Object.entries(r.recovery).map(
      ([k, v]) => `  ${k} ${v.count} ${v.min} ${v.median} ${v.max} ${v.never}`,
    ),
    `standby projector active after the active one's kill -9 (ms): count ${r.takeover.count}, ` +
      `min ${r.takeover.min}, median ${r.takeover.median}, max ${r.takeover.max}`,
    `unplanned exits (restarted as systemd would): ${r.unplannedExits.length}` +
      (r.unplannedExits.length === 0
        ? ''
        : ` (${r.unplannedExits
            .map((x) => `${x.service} at ${x.at} ${x.signal ?? `code ${x.code}`}`)
            .join(', ')})`),
    `settled: ${r.settled.whole ? `after ${r.settled.afterMs} ms` : `no (${r.settled.moving})`}`,
    `figures: ${Object.entries(r.figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    `checker self-test (doubled allocation in a copy of the log): ${
      r.checkerSelfTest.caught ? 'caught' : 'MISSED'
    }: ${r.checkerSelfTest.detail}`,
    `violations: ${r.violations.length}`,
    ...r.violations.slice(0, 50).map((v) => `  ${v.rule}: ${v.detail}`),
    `report: ${r.out}/report.json`,
  ];
  return `${lines.join('\n')}\n`;
}
