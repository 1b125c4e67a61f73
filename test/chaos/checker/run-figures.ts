import type { RecordedEvent } from '@app/event-store';
import { classify, type LogFold } from './fold-log';

/** Counts worth reporting about the run's log: events, sessions by outcome, nodes by state. */
export function runFigures(events: RecordedEvent[], fold: LogFold): Record<string, number> {
  const figures: Record<string, number> = { events: events.length };
  const add = (key: string) => (figures[key] = (figures[key] ?? 0) + 1);
  for (const recorded of events) {
    const entry = classify(recorded);
    if (entry.kind !== 'session') continue;
    const e = entry.event;
    if (e.type === 'SessionRequested') add('sessionsRequested');
    else if (e.type === 'NodesAllocated') add('sessionsAllocated');
    else if (e.type === 'SessionQueued') add('sessionsQueued');
    else if (e.type === 'SessionRetired')
      add(e.data.by === 'expiry' ? 'sessionsExpired' : 'sessionsRetired');
    else if (e.type === 'SessionFailed') add(`sessionsFailed.${e.data.reason}`);
  }
  figures.sessionsFailed = Object.entries(figures)
    .filter(([k]) => k.startsWith('sessionsFailed.'))
    .reduce((sum, [, n]) => sum + n, 0);
  for (const node of fold.nodes.values()) {
    add(node.retired ? 'nodesFinal.retired' : `nodesFinal.${node.status}`);
  }
  return figures;
}
