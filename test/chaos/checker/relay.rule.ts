import type { RecordedEvent } from '@app/event-store';
import type { Violation } from '../contract';
import type { ChaosRunEvidence, RuleFindings } from './chaos-run-evidence';

/** Details listed per violation at most; the count says the rest. */
const LISTED = 20;

/**
 * `relay-skipped`: every event at or below the relay's checkpoint is a message of the JetStream
 * stream (its Nats-Msg-Id is the event id). Figures: the same event relayed twice (a relay that
 * restarted after the duplicate window), messages whose event precedes the one relayed before.
 * `relay-behind`: after the settle, the relay's checkpoint is the log's last position (else the
 * events past it were never checked, nor delivered to the sagas).
 */
export function checkRelay(
  e: Pick<ChaosRunEvidence, 'events' | 'relayed' | 'relayCheckpoint'>,
): RuleFindings {
  const violations: Violation[] = [];
  const relayed = new Set<string>();
  let duplicates = 0;
  for (const m of e.relayed) {
    if (relayed.has(m.eventId)) duplicates += 1;
    relayed.add(m.eventId);
  }
  const skipped: RecordedEvent[] = e.events.filter(
    (ev) => ev.position <= e.relayCheckpoint && !relayed.has(ev.id),
  );
  for (const ev of skipped.slice(0, LISTED)) {
    violations.push({
      rule: 'relay-skipped',
      detail: `event ${ev.id} (${ev.type} on ${ev.stream}, position ${ev.position}) is not in the stream though the relay's checkpoint is ${e.relayCheckpoint}`,
    });
  }
  if (skipped.length > LISTED) {
    violations.push({
      rule: 'relay-skipped',
      detail: `… and ${skipped.length - LISTED} more events`,
    });
  }
  const last = e.events.length === 0 ? 0 : e.events[e.events.length - 1].position;
  if (e.relayCheckpoint < last) {
    violations.push({
      rule: 'relay-behind',
      detail: `the relay's checkpoint ${e.relayCheckpoint}, the log's last position ${last}`,
    });
  }
  const positionOf = new Map(e.events.map((ev) => [ev.id, ev.position]));
  let outOfOrder = 0;
  let highest = 0;
  for (const m of [...e.relayed].sort((a, b) => a.streamSeq - b.streamSeq)) {
    const position = positionOf.get(m.eventId);
    if (position === undefined) continue;
    if (position < highest) outOfOrder += 1;
    highest = Math.max(highest, position);
  }
  return {
    violations,
    figures: {
      relayedMessages: e.relayed.length,
      relayedDuplicates: duplicates,
      relayedOutOfOrder: outOfOrder,
      relayedUnknown: e.relayed.filter((m) => !positionOf.has(m.eventId)).length,
    },
  };
}
