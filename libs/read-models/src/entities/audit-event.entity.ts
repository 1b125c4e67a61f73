import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every event of the log, in position order: what auditors read. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' }) position: string;
  @Column({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) stream: string;
  @Column({ type: 'integer' }) revision: number;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'jsonb' }) data: unknown;
  @Column({ type: 'jsonb' }) metadata: unknown;
  @Column({ name: 'recorded_at', type: 'timestamp' }) recordedAt: Date;
}
