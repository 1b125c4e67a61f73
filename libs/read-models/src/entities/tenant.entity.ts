import { Column, Entity, PrimaryColumn } from 'typeorm';

/** compat §2.1 `tenants`. Lifetimes are PostgreSQL intervals, as in the original. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text', unique: true }) name: string;
  @Column({ name: 'is_admin', type: 'boolean', default: false }) isAdmin: boolean;
  @Column({ name: 'is_auditor', type: 'boolean', default: false }) isAuditor: boolean;
  @Column({ name: 'ssh_key', type: 'text' }) sshKey: string;
  /** bcrypt hash of the API key. */
  @Column({ name: 'api_key', type: 'text' }) apiKey: string;
  @Column({ name: 'node_quota', type: 'integer', nullable: true }) nodeQuota: number | null;
  @Column({ name: 'session_lifetime', type: 'interval', nullable: true })
  sessionLifetime: unknown;
  @Column({ name: 'session_lifetime_max', type: 'interval', nullable: true })
  sessionLifetimeMax: unknown;
  @Column({ name: 'created_at', type: 'timestamp' }) createdAt: Date;
  @Column({ name: 'retired_at', type: 'timestamp', nullable: true }) retiredAt: Date | null;
}
