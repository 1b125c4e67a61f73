import type { AuditEvent } from '../audit-event';

/**
 * Hand-written logs for the specs: events get positions in the order they are made, each
 * stream its own revisions, and a recorded time one minute after the previous event's.
 */
export class HandLog {
  readonly events: AuditEvent[] = [];
  private readonly revisions = new Map<string, number>();
  private ms = Date.parse('2026-03-10T14:00:00Z');

  add(
    stream: string,
    type: string,
    data: Record<string, unknown>,
    metadata: Record<string, unknown> = {},
  ): AuditEvent {
    const revision = this.revisions.get(stream) ?? 0;
    this.revisions.set(stream, revision + 1);
    this.ms += 60_000;
    const event: AuditEvent = {
      position: this.events.length + 1,
      stream,
      revision,
      type,
      data,
      metadata,
      time: new Date(this.ms),
    };
    this.events.push(event);
    return event;
  }

  of(stream: string): AuditEvent[] {
    return this.events.filter((e) => e.stream === stream);
  }
}

export function auditEvent(type: string, data: Record<string, unknown>, time?: string): AuditEvent {
  return {
    position: 1,
    stream: 'any-1',
    revision: 0,
    type,
    data,
    metadata: {},
    time: new Date(time ?? '2026-03-10T14:30:00Z'),
  };
}
