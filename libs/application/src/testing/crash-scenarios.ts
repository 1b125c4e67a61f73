import { NodeSpec, SessionState, sessionDecider, sessionStream } from '@app/domain';
import { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { ReconcileSessionRequestsCommand } from '../reconcile-session-requests/reconcile-session-requests.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { RetireSessionCommand } from '../retire-session/retire-session.command';
import { logBarrier } from '../acceptance/settled';
import { auditAllocation } from './allocation-invariants';
import { TEST_DEFAULTS, wireApplication } from './application-fixture';
import { CrashingEventStore, SimulatedCrash } from './crashing-event-store';
import { FixedClock } from './fixed-clock';
import { provisionReadyNodes } from './provision-ready-nodes';

export interface CrashScenario {
  name: string;
  specs: NodeSpec[];
  /** Appends a complete run of this request makes (the crash points to try). */
  appends: number;
  idempotencyKey?: string;
}

/** Pools the scenarios use: `a` and `b` are plentiful, `c` has a single node. */
export const CRASH_POOLS = { a: 8, b: 8, c: 1 };

export const CRASH_SCENARIOS: CrashScenario[] = [
  // requested, key claimed, quota, node a, node b, allocated
  {
    name: 'success path',
    specs: [
      { pool: 'a', quantity: 1 },
      { pool: 'b', quantity: 1 },
    ],
    appends: 6,
    idempotencyKey: 'k',
  },
  // requested, quota, node a, node c, then compensation: release a, release c, quota back, failed
  {
    name: 'pool exhausted path',
    specs: [
      { pool: 'a', quantity: 1 },
      { pool: 'c', quantity: 2 },
    ],
    appends: 8,
  },
];

export interface CrashOutcome {
  scenario: string;
  crashAfter: number;
  crashed: boolean;
  status: SessionState['status'];
  violations: string[];
}

/**
 * For every scenario and every k, a request crashes right after its k-th append; the reconciler
 * then runs on a healthy store. Returns what each session ended as and any invariant violation.
 */
export async function runCrashScenarios(store: EventStore): Promise<CrashOutcome[]> {
  const clock = new FixedClock();
  const healthy = wireApplication(store, Object.keys(CRASH_POOLS), { clock });
  for (const [pool, count] of Object.entries(CRASH_POOLS)) {
    await provisionReadyNodes(healthy, pool, count);
  }
  const outcomes: CrashOutcome[] = [];
  for (const scenario of CRASH_SCENARIOS) {
    for (let k = 1; k <= scenario.appends; k++) {
      const tenant = `crash_${scenario.appends}_${k}`;
      await healthy.createTenant.execute(new CreateTenantCommand(tenant, 'k'));
      const crashing = new CrashingEventStore(store);
      const app = wireApplication(crashing, Object.keys(CRASH_POOLS), { clock });
      crashing.crashAfter(k);
      const error = await app.requestSession
        .execute(
          new RequestSessionCommand(tenant, scenario.specs, {
            idempotencyKey: scenario.idempotencyKey,
          }),
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      // A crash inside the compensation surfaces as the error that triggered it.
      const crashed = crashing.crashed;
      if (error && !(error instanceof SimulatedCrash) && !(error as { code?: string }).code) {
        throw error;
      }
      clock.advance(120_000);
      // The reconciler and the audit read $all, which other suites' transactions hold back.
      await logBarrier(store);
      await healthy.reconcile.execute(
        new ReconcileSessionRequestsCommand({ staleAfterMs: 60_000 }),
      );
      await logBarrier(store);
      const { violations } = await auditAllocation(store, TEST_DEFAULTS);
      const sessionId = await lastSessionOf(store, tenant);
      const status = sessionId
        ? (await loadAggregate(store, sessionStream(sessionId), sessionDecider)).state.status
        : 'absent';
      outcomes.push({ scenario: scenario.name, crashAfter: k, crashed, status, violations });
      // Give the nodes back so every run starts from the same pools.
      if (status === 'allocated') await releaseSession(healthy, sessionId as number, tenant);
    }
  }
  return outcomes;
}

async function lastSessionOf(store: EventStore, tenant: string): Promise<number | undefined> {
  const requested = await store.readAll({ filter: { eventTypes: ['SessionRequested'] } });
  const mine = requested.filter((e) => (e.data as { tenant: string }).tenant === tenant);
  return (mine[mine.length - 1]?.data as { sessionId: number } | undefined)?.sessionId;
}

async function releaseSession(
  app: ReturnType<typeof wireApplication>,
  sessionId: number,
  tenant: string,
): Promise<void> {
  const session = (await loadAggregate(app.store, sessionStream(sessionId), sessionDecider)).state;
  await app.retireSession.execute(
    new RetireSessionCommand(sessionId, 'tenant', { name: tenant, isAdmin: false }),
  );
  for (const { nodeId } of session.nodes) {
    await app.lifecycle.startDeprovisioning(nodeId, 'test');
  }
}
