import type { EventStore } from '@app/event-store';
import type { EventEnvelope } from './event-publisher';

/**
 * Lets a saga act only on events the event store holds: the same id at the same stream and
 * revision. A message that fails the check came from somewhere else — another database that
 * shared the JetStream names, or the lost future of a restored one — and acting on it would
 * touch this database's sessions and nodes that merely share its ids.
 */
export class StoredEventGuard {
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly log: (line: string) => void,
  ) {}

  /** `where` names where the message came from (its JetStream stream): one warning for each. */
  async holds(e: EventEnvelope, where: string): Promise<boolean> {
    if (await this.stored(e)) return true;
    if (!this.warned.has(where)) {
      this.warned.add(where);
      this.log(
        `${where}: skipping event ${String(e?.id)} (${String(e?.type)} ${String(e?.stream)}@${String(e?.revision)}): ` +
          'the event store does not hold it; further ones from here are skipped without a warning',
      );
    }
    return false;
  }

  private async stored(e: EventEnvelope): Promise<boolean> {
    if (typeof e?.stream !== 'string' || !Number.isSafeInteger(e.revision) || e.revision < 0) {
      return false;
    }
    const [held] = await this.store.readStream(e.stream, { fromRevision: e.revision, maxCount: 1 });
    return held !== undefined && held.revision === e.revision && held.id === e.id;
  }
}
