import { checkChaosRun } from './check-chaos-run';
import { CraftedLog, quietEvidence } from './testing/crafted-log';

const log = () => new CraftedLog().tenant('a').tenant('b').tenant('c');

describe('relay-skipped', () => {
  it('passes a stream holding every event up to the checkpoint, duplicates and order as figures', () => {
    const { events } = log();
    const relayed = [events[0], events[2], events[1], events[2]].map((e, i) => ({
      eventId: e.id,
      streamSeq: i + 1,
    }));
    const report = checkChaosRun(quietEvidence(events, { relayed }));
    expect(report.violations).toEqual([]);
    expect(report.figures).toMatchObject({ relayedDuplicates: 1, relayedOutOfOrder: 1 });
  });

  it('reports an event at or below the checkpoint missing from the stream, not one above it, and the relay behind', () => {
    const { events } = log();
    const relayed = [{ eventId: events[0].id, streamSeq: 1 }];
    const report = checkChaosRun(quietEvidence(events, { relayed, relayCheckpoint: 2 }));
    expect(report.violations).toEqual([
      {
        rule: 'relay-skipped',
        detail: expect.stringMatching(/^event .* \(TenantCreated on tenant-b, position 2\)/),
      },
      { rule: 'relay-behind', detail: "the relay's checkpoint 2, the log's last position 3" },
    ]);
  });
});

describe('projection-behind and verify-failed', () => {
  it('reports read models behind the log and a failed verify with its first lines', () => {
    const { events } = log();
    const report = checkChaosRun(
      quietEvidence(events, {
        projectorCheckpoint: 2,
        verify: { exitCode: 1, output: 'nodes differ\nnode 3: state\n' },
      }),
    );
    expect(report.violations).toEqual([
      { rule: 'projection-behind', detail: "read models' checkpoint 2, the log's last position 3" },
      { rule: 'verify-failed', detail: 'projector verify exited 1: nodes differ | node 3: state' },
    ]);
  });
});
