import type { JetStreamClient } from '@nats-io/jetstream';
import { eventSubject } from './event-subject';

/** The part of a recorded event that travels; the same shape the event store records. */
export interface EventEnvelope {
  id: string;
  type: string;
  stream: string;
  revision: number;
  position: number;
  data: unknown;
  metadata: Record<string, unknown>;
  timestamp: Date | string;
}

/**
 * Publishes events to JetStream with the event id as message id, so a relay that restarts and
 * sends an event again within the duplicate window does not deliver it twice.
 */
export class JetStreamEventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjectRoot: string,
  ) {}

  async publish(event: EventEnvelope): Promise<{ seq: number; duplicate: boolean }> {
    const subject = eventSubject(this.subjectRoot, event.stream, event.type);
    const ack = await this.js.publish(subject, JSON.stringify(event), { msgID: event.id });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}
