import { Column, Entity, PrimaryColumn } from 'typeorm';

export const NODE_STATE_ENUM = [
  'unused',
  'provisioning',
  'ready',
  'contextualizing',
  'deployed',
  'deprovisioning',
  'done',
  'failed',
];

/** compat §2.1 `nodes`. */
@Entity({ name: 'nodes' })
export class NodeEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text', nullable: true }) hostname: string | null;
  @Column({ type: 'text', nullable: true }) ipaddr: string | null;
  @Column({ type: 'enum', enum: NODE_STATE_ENUM, enumName: 'node_state_enum', default: 'unused' })
  state: string;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ type: 'text', nullable: true }) pool: string | null;
  @Column({ type: 'boolean', default: false }) reusable: boolean;
  @Column({ type: 'json', default: {} }) data: Record<string, unknown>;
  @Column({ name: 'created_at', type: 'timestamp' }) createdAt: Date;
  @Column({ name: 'retired_at', type: 'timestamp', nullable: true }) retiredAt: Date | null;
  /** An admin's maintenance reason; null: in service (issue 17). */
  @Column({ type: 'text', nullable: true }) maintenance: string | null;
  /** When `state` last changed: purge-stale's "stuck since". */
  @Column({ name: 'state_since', type: 'timestamp', nullable: true }) stateSince: Date | null;
}
