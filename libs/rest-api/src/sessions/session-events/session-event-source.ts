import { sessionStream } from '@app/domain';
import type { ReadModelQueries } from '@app/read-models';
import type { AuditReader } from '../../audit/audit-reader';
import type { Caller } from '../../auth/caller';
import type { ProjectionWaiter } from '../../read-your-writes/projection-waiter';
import type { SessionQueuePlaces } from '../session-queue-places';
import type { SessionEventSource } from './session-event-stream';
import { isTerminal, withStates } from './session-states';

export interface SessionEventReads {
  reader: AuditReader;
  queries: ReadModelQueries;
  waiter: ProjectionWaiter;
  places: SessionQueuePlaces;
}

/**
 * One session's stream for one caller: the timeline of issue 15 (its events and its nodes'
 * during it, run output hidden from tenants as there), the place in line as the session's
 * answer shows it (`queue` of `GET /sessions/{id}`), the projector's NOTIFY as the clock.
 */
export function sessionEventSource(
  reads: SessionEventReads,
  caller: Caller,
  id: number,
): SessionEventSource {
  const stream = sessionStream(id);
  return {
    checkpoint: () => reads.queries.checkpoint(),
    entries: async () => withStates(await reads.reader.sessionTimeline(caller, id), stream),
    isEnd: (entry) => isTerminal(entry, stream),
    standing: async () => {
      const session = await reads.queries.session(id);
      return session === undefined ? undefined : (await reads.places.withPlace(session)).queue;
    },
    waitPast: (position, timeoutMs) =>
      reads.waiter.untilCheckpoint(position + 1, () => reads.queries.checkpoint(), timeoutMs),
  };
}
