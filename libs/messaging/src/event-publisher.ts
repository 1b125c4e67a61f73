import type { JetStreamClient } from '@nats-io/jetstream';
import { EVENT_SCHEMA_VERSION, type EventEnvelope } from '@app/contracts/events';
import { eventSubject } from './event-subject';

export type { EventEnvelope };

/**
 * Publishes events to JetStream with the event id as message id, so a relay that restarts and
 * sends an event again within the duplicate window does not deliver it twice. Every message
 * carries `schemaVersion` (libs/contracts) so a consumer can tell a payload change.
 */
export class JetStreamEventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjectRoot: string,
  ) {}

  async publish(event: EventEnvelope): Promise<{ seq: number; duplicate: boolean }> {
    const subject = eventSubject(this.subjectRoot, event.stream, event.type);
    const message = { ...event, schemaVersion: event.schemaVersion ?? EVENT_SCHEMA_VERSION };
    const ack = await this.js.publish(subject, JSON.stringify(message), { msgID: event.id });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}
