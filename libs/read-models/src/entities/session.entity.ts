import { Column, Entity, PrimaryColumn } from 'typeorm';

/** compat §2.1 `sessions`, plus the lifecycle the event log knows (status, who retired, why failed). */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ name: 'tenant_id', type: 'integer' }) tenantId: number;
  @Column({ name: 'expires_at', type: 'timestamp', nullable: true }) expiresAt: Date | null;
  @Column({ type: 'json', default: {} }) data: Record<string, unknown>;
  @Column({ name: 'created_at', type: 'timestamp' }) createdAt: Date;
  @Column({ name: 'retired_at', type: 'timestamp', nullable: true }) retiredAt: Date | null;
  /** requested | allocated | active | retired | failed */
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy: string;
  @Column({ name: 'retired_by', type: 'text', nullable: true }) retiredBy: string | null;
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason: string | null;
  @Column({ name: 'failure_detail', type: 'text', nullable: true }) failureDetail: string | null;
}
