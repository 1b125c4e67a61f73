import { runCrashScenarios } from '../testing/crash-scenarios';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';

describe('ReconcileSessionRequests after a crash at every append (in memory)', () => {
  afterAll(() => closeTestEventStores());

  it('leaves every session allocated or failed and every invariant intact', async () => {
    const outcomes = await runCrashScenarios(await freshEventStore());
    expect(outcomes.map((o) => `${o.crashAfter}:${o.crashed}:${o.status}:${o.violations}`)).toEqual(
      [
        '1:true:failed:',
        '2:true:failed:',
        '3:true:failed:',
        '4:true:failed:',
        '5:true:allocated:',
        '6:true:allocated:',
        '1:true:failed:',
        '2:true:failed:',
        '3:true:failed:',
        '4:true:failed:',
        '5:true:failed:',
        '6:true:failed:',
        '7:true:failed:',
        '8:true:failed:',
      ],
    );
  }, 30_000);
});
