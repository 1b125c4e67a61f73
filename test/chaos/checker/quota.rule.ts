import { effectiveNodeQuota } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Violation } from '../contract';
import type { RuleFindings } from './chaos-run-evidence';
import { classify, LogFold } from './fold-log';

/**
 * `quota-exceeded`: at every TenantNodesAllotted, a non-admin tenant's nodes allotted and not
 * returned stay within its effective quota (its own `nodeQuota`, else the default: the tenant
 * decider's rule). Checked at allotments only: an admin lowering a quota below what is in use
 * is no breach.
 */
export function checkQuota(events: RecordedEvent[], defaultQuota: number): RuleFindings {
  const violations: Violation[] = [];
  const fold = new LogFold();
  const defaults = { nodeQuota: defaultQuota, sessionLifetimeMs: 1, sessionLifetimeMaxMs: 1 };
  let highest = 0;
  for (const recorded of events) {
    const entry = classify(recorded);
    fold.apply(entry);
    if (entry.kind !== 'tenant' || entry.event.type !== 'TenantNodesAllotted') continue;
    const tenant = fold.tenants.get(entry.name);
    if (!tenant || tenant.isAdmin) continue;
    const quota = effectiveNodeQuota(tenant, defaults);
    highest = Math.max(highest, tenant.allotted);
    if (tenant.allotted > quota) {
      violations.push({
        rule: 'quota-exceeded',
        detail:
          `tenant ${entry.name} holds ${tenant.allotted} nodes > quota ${quota} after session ` +
          `${entry.event.data.sessionId} was allotted ${entry.event.data.count} at position ` +
          `${recorded.position}`,
      });
    }
  }
  return { violations, figures: { quotaHighestInUse: highest } };
}
