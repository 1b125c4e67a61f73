import type { Violation } from '../contract';
import type { ChaosRunEvidence, RuleFindings } from './chaos-run-evidence';

/** Lines of `projector verify`'s output quoted in a violation. */
const QUOTED_LINES = 8;

/**
 * `projection-behind`: after the settle, the read models' checkpoint is the log's last position;
 * `verify-failed`: `projector verify` (read models rebuilt from the log and compared) exited
 * non-zero.
 */
export function checkProjection(
  e: Pick<ChaosRunEvidence, 'events' | 'projectorCheckpoint' | 'verify'>,
): RuleFindings {
  const violations: Violation[] = [];
  const last = e.events.length === 0 ? 0 : e.events[e.events.length - 1].position;
  if (e.projectorCheckpoint !== last) {
    violations.push({
      rule: 'projection-behind',
      detail: `read models' checkpoint ${e.projectorCheckpoint}, the log's last position ${last}`,
    });
  }
  if (e.verify.exitCode !== 0) {
    const lines = e.verify.output.split('\n').filter((l) => l.trim() !== '');
    violations.push({
      rule: 'verify-failed',
      detail: `projector verify exited ${e.verify.exitCode}: ${lines.slice(0, QUOTED_LINES).join(' | ')}`,
    });
  }
  return {
    violations,
    figures: { lastPosition: last, projectorCheckpoint: e.projectorCheckpoint },
  };
}
