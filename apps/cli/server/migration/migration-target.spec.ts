import { migrationTarget, namesEventStore, UnknownMigrationError } from './migration-target';

const known = ['ReadModels1764000000000', 'ProvisioningRuns1764100000000', 'Extra1764200000000'];

describe('migration VERSION arguments', () => {
  it.each([
    ['head', 1, 3],
    ['base', 2, 0],
    ['-1', 2, 1],
    ['-5', 2, 0],
    ['+1', 1, 2],
    ['+9', 1, 3],
    ['ProvisioningRuns1764100000000', 3, 2],
    ['1764000000000', 3, 1],
  ])('%p from %p applied → %p applied', (version, applied, target) => {
    expect(migrationTarget(version, known, applied)).toBe(target);
  });

  it('refuses a version it does not know, naming those it does', () => {
    expect(() => migrationTarget('abc', known, 0)).toThrow(UnknownMigrationError);
    expect(() => migrationTarget('abc', known, 0)).toThrow(/known: ReadModels1764000000000/);
  });

  it('recognises the event store as a target (which is never downgraded)', () => {
    expect(['event-store', 'event_store:1', 'EventStore'].map(namesEventStore)).toEqual([
      true,
      true,
      true,
    ]);
    expect(namesEventStore('head')).toBe(false);
  });
});
