import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { CRASH_SCENARIOS, runCrashScenarios } from '../testing/crash-scenarios';

describe('crash after each append of a session request, then reconcile, on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('crash_recovery');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('every interrupted request ends allocated or failed, never half, holding nothing it should not', async () => {
    const outcomes = await runCrashScenarios(store);
    expect(outcomes).toHaveLength(CRASH_SCENARIOS.reduce((n, s) => n + s.appends, 0));
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ crashed: true, violations: [] });
      expect(['allocated', 'failed']).toContain(outcome.status);
    }
    // Only a crash after the last reservation leaves something to finish rather than undo.
    const allocated = outcomes.filter((o) => o.status === 'allocated');
    expect(allocated.map((o) => `${o.scenario}@${o.crashAfter}`)).toEqual([
      'success path@5',
      'success path@6',
    ]);
  }, 30_000);
});
