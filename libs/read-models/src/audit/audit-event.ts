/**
 * One event of the log as the auditors' functions read it: a row of `audit_events` (`time` is
 * its `recorded_at`) or a RecordedEvent mapped by the caller. Plain data, so the functions here
 * stay pure.
 */
export interface AuditEvent {
  position: number;
  stream: string;
  revision: number;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the log's data is any event's
  data: any;
  metadata: Record<string, unknown>;
  time: Date;
}
