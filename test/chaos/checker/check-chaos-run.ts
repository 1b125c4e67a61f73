import type { ChaosRunEvidence, CheckReport, RuleFindings } from './chaos-run-evidence';
import { checkAllOrNothing } from './all-or-nothing.rule';
import { checkReadYourWrites, checkRequestAnswers, checkServerErrors } from './answers.rule';
import { checkEffects } from './effects.rule';
import { foldLog } from './fold-log';
import { checkNodeExclusivity } from './node-exclusivity.rule';
import { checkPoolFill } from './pool-fill.rule';
import { checkProjection } from './projection.rule';
import { checkQuota } from './quota.rule';
import { checkRelay } from './relay.rule';
import { runFigures } from './run-figures';
import { checkStuck } from './stuck.rule';

export type { ChaosRunEvidence, CheckReport } from './chaos-run-evidence';

/**
 * Every broken promise a chaos run left in its evidence, rule by rule (pure: no I/O), and the
 * figures worth reporting. The events must be in position order, as readAll returns them.
 */
export function checkChaosRun(e: ChaosRunEvidence): CheckReport {
  const events = [...e.events].sort((a, b) => a.position - b.position);
  const evidence = { ...e, events };
  const fold = foldLog(events);
  const findings: RuleFindings[] = [
    checkNodeExclusivity(events),
    checkQuota(events, e.defaultQuota),
    checkAllOrNothing(events),
    checkStuck(fold, evidence),
    checkRequestAnswers(e.answers, fold),
    checkReadYourWrites(e.answers),
    checkServerErrors(e.answers),
    checkEffects(evidence),
    checkRelay(evidence),
    checkProjection(evidence),
    checkPoolFill(evidence),
  ];
  const figures: Record<string, number> = {
    ...runFigures(events, fold),
    answers: e.answers.length,
  };
  for (const f of findings) Object.assign(figures, f.figures ?? {});
  figures.unreadableAnswers = e.unreadable?.answers ?? 0;
  figures.unreadableMarkers = e.unreadable?.markers ?? 0;
  const violations = findings.flatMap((f) => f.violations);
  figures.violations = violations.length;
  return { violations, figures };
}
